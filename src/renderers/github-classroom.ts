// Format followed: the runner result that GitHub Classroom's reporter action
// (classroom-resources/autograding-grading-reporter, src/main.js and src/notify-classroom.js) reads from the
// env var `<RUNNER-ID>_RESULTS`: base64 of UTF-8 JSON shaped like the output `result` of
// classroom-resources/autograding-command-grader and autograding-io-grader:
//   { version: 1, status, max_score, tests: [{ name, status, score, message, test_code, filename, line_no, duration }] }
// The reporter fails the job on status `fail` or `error`, prints `message` for non-passing tests, and posts
// "Points <sum of tests[].score>/<max_score>" to Classroom. Those graders write `duration` in milliseconds;
// `output` (captured output) is what autograding-python-grader adds. Written from those descriptions; no code copied.
import type { RunResults, Status, TaskResult } from '../results/model.ts';
import { toPlainText, truncate } from './plain-text.ts';
import { NOT_GRADED_ADVICE, notGradedReason, runProblem } from './run-problem.ts';
import { NOT_VERIFIED_NOTE, taskLabel } from './task-label.ts';

/** One test of a Classroom runner result. */
export interface ClassroomTest {
  name: string;
  status: Status;
  score: number;
  message: string;
  /** Shown by the reporter under "Test code:": the commands the learner's steps ran. */
  test_code: string;
  filename: string;
  /** 0 tells the reporter there is no line to show. */
  line_no: number;
  /** Milliseconds, as the command and IO graders write it. */
  duration: number;
  output: string;
}

/** The runner result the reporter decodes from `<RUNNER-ID>_RESULTS`. */
export interface ClassroomResult {
  version: 1;
  status: Status;
  max_score: number;
  tests: ClassroomTest[];
}

/** Options of the Classroom renderer. */
export interface ClassroomOptions {
  /**
   * Cap on each test's `output`. The encoded result travels through an environment variable, and Linux
   * refuses a single one over 128 KiB; the full output stays in reports/results.json.
   */
  maxOutputChars?: number;
}

const DEFAULT_MAX_OUTPUT_CHARS = 2_000;

/**
 * Maps the run to the Classroom runner result (scores and statuses as the results file has them). A run that is
 * not a grade (a scored task could not be verified) claims no points: every test scores 0 of a maximum of 0, so
 * the reporter posts 0/0 rather than a partial score, and the first test says why and what to do.
 */
export function toClassroomResult(results: RunResults, options: ClassroomOptions = {}): ClassroomResult {
  const maxOutput = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const tests = results.tests.map((task) => toClassroomTest(task, maxOutput));
  const notGraded = notGradedReason(results);
  if (notGraded !== undefined) {
    const note: ClassroomTest = {
      name: 'Not graded',
      status: 'error',
      score: 0,
      message: `This run could not be graded: ${notGraded} ${NOT_GRADED_ADVICE}`,
      test_code: '',
      filename: '',
      line_no: 0,
      duration: 0,
      output: '',
    };
    return { version: 1, status: 'error', max_score: 0, tests: [note, ...tests.map((test) => ({ ...test, score: 0 }))] };
  }
  const problem = runProblem(results);
  if (problem !== undefined) {
    tests.push({
      name: 'run',
      status: 'error',
      score: 0,
      message: `${problem} ${NOT_VERIFIED_NOTE}`,
      test_code: '',
      filename: '',
      line_no: 0,
      duration: 0,
      output: '',
    });
  }
  return { version: 1, status: results.status, max_score: results.max_score, tests };
}

/** The Classroom runner result and its base64 encoding (what a step sets as its `result` output). */
export function renderClassroom(
  results: RunResults,
  options: ClassroomOptions = {},
): { result: ClassroomResult; base64: string } {
  const result = toClassroomResult(results, options);
  return { result, base64: Buffer.from(JSON.stringify(result), 'utf8').toString('base64') };
}

/** The line to append to `$GITHUB_OUTPUT` so the step's `result` output carries the encoded result. */
export function classroomOutputLine(base64: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) {
    throw new Error('classroomOutputLine expects the base64 text from renderClassroom (one line, no spaces).');
  }
  return `result=${base64}\n`;
}

/** The env var the reporter reads for a runner id: `lab-suite` -> `LAB-SUITE_RESULTS`. */
export function classroomEnvName(runnerId: string): string {
  return `${runnerId.trim().toUpperCase()}_RESULTS`;
}

function toClassroomTest(task: TaskResult, maxOutput: number): ClassroomTest {
  const message = [
    task.message,
    task.status === 'fail' && task.hint ? `Hint: ${task.hint}` : '',
    task.status === 'error' ? NOT_VERIFIED_NOTE : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    name: taskLabel(task),
    status: task.status,
    score: task.score,
    message,
    test_code: stepCommands(task.evidence),
    filename: '',
    line_no: 0,
    duration: Math.round(task.duration_ms ?? 0),
    output: truncate(toPlainText(task.output), maxOutput),
  };
}

/** The commands of the steps recorded as `evidence.steps` (see labkit), one per line; '' if none. */
function stepCommands(evidence: Record<string, unknown> | undefined): string {
  const steps = evidence?.steps;
  if (!Array.isArray(steps)) return '';
  return steps
    .map((step: unknown) =>
      typeof step === 'object' && step !== null && 'command' in step && typeof step.command === 'string' ? step.command : '',
    )
    .filter(Boolean)
    .join('\n');
}
