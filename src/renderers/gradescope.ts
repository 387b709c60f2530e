// Format followed: Gradescope's "Autograder Specifications", output format of /autograder/results/results.json
// (https://gradescope-autograders.readthedocs.io/en/latest/specs/, source gradescope/autograder_samples
// docs/specs.md): top-level score, execution_time (seconds), output, output_format, visibility, extra_data,
// tests[] with score, max_score, status ("passed" | "failed"), name, number, output, output_format, visibility.
// The spec has no top-level max_score (the assignment's total is set in Gradescope), so it goes to extra_data.
import type { RunResults, TaskResult } from '../results/model.ts';
import { formatPoints, msToSeconds, runDurationMs } from './numbers.ts';
import { toPlainText } from './plain-text.ts';
import { NOT_GRADED_ADVICE, notGradedReason, runProblem } from './run-problem.ts';
import { NOT_VERIFIED_NOTE, taskLabel } from './task-label.ts';

/** Who sees a test (or the whole result) and when, as Gradescope defines it. */
export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** One test case of a Gradescope results.json. */
export interface GradescopeTest {
  name: string;
  number: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  output_format: 'text';
  visibility: GradescopeVisibility;
  tags: string[];
}

/** Gradescope's results.json. */
export interface GradescopeResults {
  score: number;
  execution_time: number;
  output: string;
  output_format: 'text';
  test_output_format: 'text';
  test_name_format: 'text';
  visibility: GradescopeVisibility;
  extra_data: { status: RunResults['status']; gradable: boolean; max_score: number; backend: string; started_at: string; finished_at: string };
  tests: GradescopeTest[];
}

/** Options of the Gradescope renderer. */
export interface GradescopeOptions {
  /** Visibility of every test; `visible` (Gradescope's own default) unless given. */
  visibility?: GradescopeVisibility;
}

/**
 * Renders the run as Gradescope's results.json. A task that could not be verified shows as failed with score 0
 * (Gradescope has no third status) and its output says plainly that it is the grader's problem, not the learner's.
 * Every output is plain text (`output_format: "text"`): messages quote learner input and must not render as HTML.
 */
export function renderGradescope(results: RunResults, options: GradescopeOptions = {}): GradescopeResults {
  const visibility = options.visibility ?? 'visible';
  const notGraded = notGradedReason(results);
  // A run that is not a grade shows every test without points (0 of 0), not a partial score.
  const tests = results.tests
    .map((task) => toGradescopeTest(task, testNumber(results, task), visibility))
    .map((test) => (notGraded === undefined ? test : { ...test, score: 0, max_score: 0 }));
  const problem = runProblem(results);
  if (problem !== undefined) {
    tests.push({
      name: 'Run',
      number: '0',
      score: 0,
      max_score: 0,
      status: 'failed',
      output: `NOT VERIFIED: ${problem}\n${NOT_VERIFIED_NOTE}`,
      output_format: 'text',
      visibility,
      tags: ['not-verified'],
    });
  }
  return {
    score: notGraded === undefined ? results.score : 0,
    execution_time: msToSeconds(runDurationMs(results)),
    output: notGraded === undefined ? summary(results, problem) : toPlainText(`NOT GRADED: this submission could not be graded. ${notGraded}\n${NOT_GRADED_ADVICE}`),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility,
    extra_data: {
      status: results.status,
      gradable: notGraded === undefined,
      max_score: results.max_score,
      backend: results.backend,
      started_at: results.started_at,
      finished_at: results.finished_at,
    },
    tests,
  };
}

function toGradescopeTest(task: TaskResult, number: string, visibility: GradescopeVisibility): GradescopeTest {
  const verdict =
    task.status === 'pass'
      ? `PASSED: ${task.message}`
      : task.status === 'fail'
        ? `FAILED: ${task.message}`
        : `NOT VERIFIED: ${task.message}\n${NOT_VERIFIED_NOTE} Your instructor can regrade it once the problem is fixed.`;
  const hint = task.status === 'fail' && task.hint ? `\nHint: ${task.hint}` : '';
  const output = task.output ? `\n\nOutput of your steps:\n${task.output}` : '';
  return {
    name: taskLabel(task),
    number,
    score: task.score,
    max_score: task.max_score,
    status: task.status === 'pass' ? 'passed' : 'failed',
    output: toPlainText(verdict + hint + output),
    output_format: 'text',
    visibility,
    tags: [task.lab, ...(task.status === 'error' ? ['not-verified'] : [])],
  };
}

/**
 * Gradescope's "1.2" numbering: the lab's number (its `NN-` prefix, else its position) and the task's
 * number (after the `/` in the task id, else its position in the lab).
 */
function testNumber(results: RunResults, task: TaskResult): string {
  const labIds = [...new Set([...results.labs.map((l) => l.id), ...results.tests.map((t) => t.lab)])];
  const labPrefix = /^(\d+)/.exec(task.lab)?.[1];
  const lab = labPrefix === undefined ? labIds.indexOf(task.lab) + 1 : Number(labPrefix);
  const taskSuffix = /\/(\d+)$/.exec(task.task_id)?.[1];
  const inLab = results.tests.filter((t) => t.lab === task.lab);
  const n = taskSuffix === undefined ? inLab.indexOf(task) + 1 : Number(taskSuffix);
  return `${lab}.${n}`;
}

function summary(results: RunResults, problem: string | undefined): string {
  const failed = results.tests.filter((t) => t.status === 'fail').length;
  const errored = results.tests.filter((t) => t.status === 'error').length;
  const lines = [`${formatPoints(results.score)} / ${formatPoints(results.max_score)} points.`];
  if (failed > 0) lines.push(`${failed} task(s) failed: each test below says what to fix.`);
  if (problem !== undefined) lines.push(`The run itself could not complete: ${problem}`);
  if (errored > 0 || problem !== undefined) {
    lines.push(
      `${errored > 0 ? `${errored} task(s) could not be verified` : 'Some work could not be verified'} because of a ` +
        'problem on the grader side, not in your work. That does not count against you: your instructor will ' +
        'regrade once it is fixed, or you can resubmit.',
    );
  }
  if (failed === 0 && errored === 0 && problem === undefined) lines.push('Every task passed.');
  return toPlainText(lines.join('\n'));
}
