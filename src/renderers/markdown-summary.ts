import type { LabSummary, RunResults, Status, TaskResult } from '../results/model.ts';
import { escapeMarkdownInline, escapeTableCell, indentContinuation } from './markdown-escape.ts';
import { formatPoints } from './numbers.ts';
import { toPlainText } from './plain-text.ts';
import { runProblem } from './run-problem.ts';
import { taskLabel } from './task-label.ts';

const STATUS_TEXT: Record<Status, string> = { pass: 'passed', fail: 'failed', error: 'not verified' };
const OVERALL_TEXT: Record<Status, string> = {
  pass: 'every task passed',
  fail: 'some tasks failed',
  error: 'incomplete, some work could not be verified',
};

/**
 * Renders a markdown summary for `$GITHUB_STEP_SUMMARY`: the total score, a table of labs, then
 * "What to fix" (each failed task with its message and hint) and "Could not verify" (errored tasks,
 * which do not count against the learner). Messages keep their `code` spans; HTML in them is escaped.
 */
export function renderMarkdownSummary(results: RunResults): string {
  const failed = results.tests.filter((t) => t.status === 'fail');
  const errored = results.tests.filter((t) => t.status === 'error');
  const problem = runProblem(results);

  const sections = [
    `# Lab results: ${formatPoints(results.score)} / ${formatPoints(results.max_score)} points`,
    `Overall: **${OVERALL_TEXT[results.status]}** (${countLine(results.tests)}).`,
    labTable(results.labs),
    whatToFix(failed),
  ];
  if (errored.length > 0 || problem !== undefined) sections.push(couldNotVerify(errored, problem));
  sections.push(
    `<sub>Checked on the ${escapeMarkdownInline(results.backend)} backend${servedBy(results)}, finished ${escapeMarkdownInline(results.finished_at)}. ` +
      `${sandboxLine(results)}Full details: \`reports/results.json\`.</sub>`,
  );
  return `${sections.join('\n\n')}\n`;
}

/** Whether learner code ran in a sandbox: instructors must see when it did not. */
function sandboxLine(results: RunResults): string {
  const { sandbox } = results.environment;
  if (!sandbox || results.submission.kind === 'reference') return '';
  if (sandbox.mode === 'namespaces') return `Learner code ran sandboxed (namespaces: ${escapeMarkdownInline(sandbox.detail ?? '')}). `;
  return `Learner code ran without a sandbox: ${escapeMarkdownInline(sandbox.reason ?? 'not recorded')}. `;
}

function countLine(tests: TaskResult[]): string {
  const n = (status: Status): number => tests.filter((t) => t.status === status).length;
  return `${n('pass')} of ${tests.length} tasks passed, ${n('fail')} failed, ${n('error')} not verified`;
}

function labTable(labs: LabSummary[]): string {
  if (labs.length === 0) return '_No lab results were recorded._';
  const rows = labs.map(
    (lab) =>
      `| ${escapeTableCell(lab.title)} (${escapeTableCell(lab.id)}) | ${STATUS_TEXT[lab.status]} | ` +
      `${formatPoints(lab.score)} / ${formatPoints(lab.max_score)} |`,
  );
  return ['| Lab | Status | Points |', '| --- | --- | ---: |', ...rows].join('\n');
}

function whatToFix(failed: TaskResult[]): string {
  if (failed.length === 0) return '## What to fix\n\nNothing: no task failed.';
  const items = failed.map((task) => {
    const lines = [`- **${escapeMarkdownInline(taskLabel(task))}**: ${block(task.message)}`];
    if (task.hint) lines.push('', `  Hint: ${block(task.hint)}`);
    return lines.join('\n');
  });
  return ['## What to fix', '', ...items].join('\n');
}

function couldNotVerify(errored: TaskResult[], problem: string | undefined): string {
  const intro =
    'These could not be checked because of a problem on the grader side (for example a service that did not ' +
    'start), not because of your work. They do not count against you; re-run the labs once the problem is fixed.';
  const items = errored.map((task) => `- **${escapeMarkdownInline(taskLabel(task))}**: ${block(task.message)}`);
  if (problem !== undefined) items.unshift(`- **The run**: ${block(problem)}`);
  return ['## Could not verify', '', intro, '', ...items].join('\n');
}

/** Multi-line text as part of a list item: escaped, continuation lines indented, each line break kept. */
function block(text: string): string {
  const lines = toPlainText(text)
    .split('\n')
    .filter((line) => line.trim() !== '');
  // A trailing backslash is a hard line break in CommonMark, so lines of a message stay lines.
  return indentContinuation(lines.map((line) => escapeMarkdownInline(line)).join('\\\n'));
}

/** The versions that served the run, as the services reported them. */
function servedBy(results: RunResults): string {
  const services = results.services;
  if (!services) return '';
  return ` (DynamoDB Local ${escapeMarkdownInline(services.dynamodb.version)}, Postgres ${escapeMarkdownInline(services.postgres.version)})`;
}
