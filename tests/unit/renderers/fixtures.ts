import { overallStatus, RESULTS_VERSION, summarizeLabs, type RunResults, type TaskResult } from '../../../src/results/model.ts';

const TITLES: Record<string, string> = {
  '01-dynamodb-local': 'Run DynamoDB Local',
  '02-create-table': 'Create the messages table',
  '03-seed': 'Seed conversations',
};

/** A task with sensible defaults; `status` decides the score unless given. */
export function task(taskId: string, overrides: Partial<TaskResult> = {}): TaskResult {
  const [lab = 'unknown'] = taskId.split('/');
  const status = overrides.status ?? 'pass';
  const max = overrides.max_score ?? 2;
  return {
    task_id: taskId,
    lab,
    name: `Task ${taskId}`,
    status,
    score: status === 'pass' ? max : 0,
    max_score: max,
    message: status === 'pass' ? `Verified ${taskId}.` : `Problem in ${taskId}.`,
    output: '',
    duration_ms: 1234,
    ...overrides,
  };
}

/** A complete results file around the given tasks, with labs and totals derived as the suite derives them. */
export function run(tests: TaskResult[], overrides: Partial<RunResults> = {}): RunResults {
  return {
    version: RESULTS_VERSION,
    status: overallStatus(tests.map((t) => t.status)),
    score: tests.reduce((sum, t) => sum + t.score, 0),
    max_score: tests.reduce((sum, t) => sum + t.max_score, 0),
    started_at: '2025-11-25T12:00:00.000Z',
    finished_at: '2025-11-25T12:01:30.500Z',
    backend: 'embedded',
    services: null,
    submission: { kind: 'repository', path: '/tmp/learner', commit: 'abc1234' },
    environment: { node: 'v20.20.2', platform: 'linux' },
    labs: summarizeLabs(tests, TITLES),
    tests,
    ...overrides,
  };
}

/** Text with every character the renderers must escape: markup, quotes, pipes, line breaks. */
export const NASTY = `Expected <pk> & "sk" in 'cruddur|messages'\nsecond line | with pipe`;

export const allPass = (): RunResults =>
  run([task('01-dynamodb-local/1'), task('01-dynamodb-local/2'), task('02-create-table/1', { max_score: 3 })]);

export const someFail = (): RunResults =>
  run([
    task('01-dynamodb-local/1'),
    task('02-create-table/1', {
      status: 'fail',
      message: 'Table `cruddur-messages` has no sort key `sk` (found: pk HASH).',
      hint: 'See labs/week-05/02-create-table/README.md#2',
      output: '$ ./bin/ddb/schema-load\nTable created',
    }),
    task('02-create-table/2', { max_score: 3 }),
  ]);

export const withError = (): RunResults =>
  run([
    task('01-dynamodb-local/1'),
    task('02-create-table/1', { status: 'fail', hint: 'Add the sort key.' }),
    task('03-seed/1', { status: 'error', message: 'Postgres did not start within 30 s.', max_score: 4 }),
  ]);

/** Special characters (and a control character, an ANSI colour) in names, messages, hints and output. */
export const specialChars = (): RunResults =>
  run([
    task('01-dynamodb-local/1', { name: 'Start <local> & "check"', output: 'ok \u001b[32mgreen\u001b[0m\u0007 done' }),
    task('02-create-table/1', {
      status: 'fail',
      name: "Create 'table' | keys",
      message: NASTY,
      hint: 'Use `--key-schema` with <sk> | RANGE\nthen retry',
      output: 'line1\r\nline2 <tag> & \u0000 nul\uD800 lone',
      evidence: { steps: [{ step: 'schema-load', command: './bin/ddb/schema-load', exitCode: 0, durationMs: 5, timedOut: false, output: '' }] },
    }),
    task('03-seed/1', { status: 'error', message: `Service broke: ${NASTY}` }),
  ]);
