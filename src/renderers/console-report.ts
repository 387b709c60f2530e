import type { RunResults, TaskResult } from '../results/model.ts';
import { formatPoints } from './numbers.ts';
import { toPlainText } from './plain-text.ts';
import { notGradedReason, runProblem } from './run-problem.ts';

/** Options of the terminal report. */
export interface ConsoleReportOptions {
  /** ANSI colours: on a terminal only, never in CI logs or files. */
  color: boolean;
  /** Lines of a failed step's own output shown under its task (the full output is in results.json). */
  outputLines?: number;
}

/** Colours for a terminal that wants them: a TTY, and no NO_COLOR (never in CI logs or files). */
export function terminalColors(stream: { isTTY?: boolean } = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const MARK = { pass: '✓', fail: '✗', error: '!' } as const;
const paint = (on: boolean, code: string, text: string): string => (on ? `\u001b[${code}m${text}\u001b[0m` : text);

/** The last lines of a step's output that explain a failure: blank lines and ANSI codes dropped. */
function tail(output: string, lines: number): string[] {
  const kept = toPlainText(output)
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '');
  return kept.slice(-lines);
}

function taskNumber(task: TaskResult): string {
  return /\/(\d+)$/.exec(task.task_id)?.[1] ?? task.task_id;
}

function taskLines(task: TaskResult, options: Required<ConsoleReportOptions>): string[] {
  const { color } = options;
  const mark = paint(color, task.status === 'pass' ? '32' : task.status === 'fail' ? '31' : '33', MARK[task.status]);
  const points = task.max_score > 0 ? `  ${formatPoints(task.score)}/${formatPoints(task.max_score)}` : '';
  const lines = [`  ${mark} ${taskNumber(task)}  ${task.name}${paint(color, '2', points)}`];
  if (task.status === 'pass') return lines;
  const indent = '       ';
  const message = toPlainText(task.message).trim();
  const said = task.status === 'error' ? `Could not be verified (a problem on the grader's side, not in your work): ${message}` : message;
  for (const line of said.split('\n')) lines.push(`${indent}${line}`);
  if (task.status === 'fail' && task.hint) lines.push(`${indent}${paint(color, '36', 'Hint:')} ${toPlainText(task.hint)}`);
  if (task.status === 'fail' && task.output.trim()) {
    lines.push(`${indent}${paint(color, '2', 'Output of your step (last lines):')}`);
    for (const line of tail(task.output, options.outputLines)) lines.push(`${indent}${paint(color, '2', `| ${line}`)}`);
  }
  return lines;
}

/**
 * The run as a learner reads it on a terminal: one line per task with ✓ (passed), ✗ (failed) or ! (could not be
 * verified) and its points, grouped by lab; under a failure, what is wrong, the hint, the README link (in the
 * message) and the last lines of the step's own output; then a one-line total. No stack frames: the labs' own
 * output goes to a log file, or to the terminal with --verbose.
 */
export function renderConsoleReport(results: RunResults, options: ConsoleReportOptions): string {
  const opts: Required<ConsoleReportOptions> = { outputLines: 8, ...options };
  const { color } = opts;
  const out: string[] = [];
  const titles = new Map(results.labs.map((lab) => [lab.id, lab]));
  const labIds = [...new Set(results.tests.map((t) => t.lab))];
  for (const id of labIds) {
    const tasks = results.tests.filter((t) => t.lab === id);
    const lab = titles.get(id);
    const score = lab && lab.max_score > 0 ? `  ${formatPoints(lab.score)}/${formatPoints(lab.max_score)}` : '';
    out.push(`${paint(color, '1', `${id}  ${lab?.title ?? ''}`.trimEnd())}${paint(color, '2', score)}`);
    for (const task of tasks) out.push(...taskLines(task, opts));
    out.push('');
  }
  const problem = runProblem(results);
  if (problem !== undefined && results.tests.length === 0) out.push(`The run could not complete: ${toPlainText(problem)}`, '');
  const passed = results.tests.filter((t) => t.status === 'pass').length;
  const failed = results.tests.filter((t) => t.status === 'fail').length;
  const errored = results.tests.filter((t) => t.status === 'error').length;
  const counts = `${passed} passed, ${failed} failed${errored ? `, ${errored} not verified` : ''}`;
  const notGraded = notGradedReason(results);
  if (notGraded !== undefined) {
    out.push(`${paint(color, '33;1', 'NOT GRADED')}  ${counts}. Something on the grader's side failed; nothing here counts against you. Run it again.`);
  } else {
    const verdict = results.status === 'pass' ? paint(color, '32;1', 'PASS') : paint(color, '31;1', 'FAIL');
    out.push(`${verdict}  ${formatPoints(results.score)}/${formatPoints(results.max_score)} points  (${counts})`);
  }
  return `${out.join('\n')}\n`;
}
