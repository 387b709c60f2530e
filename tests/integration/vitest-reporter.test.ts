// The results reporter (src/results/vitest-reporter.ts) on its own, without services or python: a child vitest runs the
// fixture week tests/fixtures/weeks/week-98 with a config that wires the reporter as vitest.config.ts does, and this file
// reads the results.json it wrote. Lab 01 has a task for every way a task ends; lab 02's spec breaks while it loads.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUITE_ROOT } from '../../src/config/suite-root.ts';
import { readResults } from '../../src/renderers/read-results.ts';
import type { RunResults } from '../../src/results/model.ts';
import { RESULTS_FILE } from '../../src/results/write-results.ts';
import { FIXTURE_SERVICES } from '../fixtures/weeks/week-98/services.ts';
import { SKIPPED_REASON } from '../../src/results/unverified-reason.ts';

const CONFIG = 'tests/fixtures/weeks/week-98/vitest.config.ts';
const VITEST = path.join(SUITE_ROOT, 'node_modules/vitest/vitest.mjs');
const SERVICES_DOWN = 'DynamoDB Local did not start: port 8000 is in use.';

interface FixtureRun {
  exitCode: number | null;
  /** The child's own report, shown when an assertion on it fails. */
  output: string;
  resultsDir: string;
  spawnedAt: number;
  exitedAt: number;
  results: RunResults;
}

const made: string[] = [];
const running = new Set<ChildProcess>();

async function runFixtureWeek(env: Record<string, string> = {}): Promise<FixtureRun> {
  const resultsDir = mkdtempSync(path.join(os.tmpdir(), 'cruddur-reporter-'));
  made.push(resultsDir);
  // The child's configuration is this test's alone: no LAB_* variable of the run around it (a submission, a results
  // folder) reaches the reporter.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('LAB_')));
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [VITEST, 'run', '--config', CONFIG], {
    cwd: SUITE_ROOT,
    env: { ...inherited, NO_COLOR: '1', LAB_RESULTS_DIR: resultsDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  running.add(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  running.delete(child);
  const exitedAt = Date.now();
  try {
    return { exitCode, output, resultsDir, spawnedAt, exitedAt, results: await readResults(path.join(resultsDir, RESULTS_FILE)) };
  } catch (error) {
    throw new Error(`The fixture week's run (exit ${exitCode}) left no valid results file:\n${output}`, { cause: error });
  }
}

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

const task = (results: RunResults, id: string) => results.tests.find((t) => t.task_id === id);

describe('the results reporter, on a fixture week whose tasks end every way a task can', () => {
  let run: FixtureRun;
  let servicesDown: FixtureRun;
  let badConfig: FixtureRun;
  beforeAll(async () => {
    [run, servicesDown, badConfig] = await Promise.all([
      runFixtureWeek(),
      runFixtureWeek({ WEEK98_SERVICES_ERROR: SERVICES_DOWN }),
      runFixtureWeek({ LAB_SANDBOX: 'bogus' }),
    ]);
  }, 90_000);

  it('writes one valid results file, and no other file, while vitest fails the run', () => {
    expect(run.exitCode, run.output).toBe(1);
    // As vitest saw them: tasks 2-4 failed, 1 and the one outside the labs passed, 5 (a missing tool) and 6 were skipped.
    expect(run.output).toMatch(/Tests +3 failed \| 2 passed \| 2 skipped \(7\)/);
    // readResults (the renderers' reader) has validated the file; the reporter writes only results.json: the other
    // reports are the grader's (src/grader/write-reports.ts).
    expect(readdirSync(run.resultsDir)).toEqual([RESULTS_FILE]);
    expect(run.results.version).toBe(1);
  });

  it("lists every task of the run's labs in order, none from a spec outside their folders", () => {
    // 01-verdicts-notes/notes.spec.ts passes task 01-verdicts/2; it is not lab 01's folder, so it is not counted.
    expect(run.results.tests.map((t) => t.task_id)).toEqual([
      '01-verdicts/1',
      '01-verdicts/2',
      '01-verdicts/3',
      '01-verdicts/4',
      '01-verdicts/5',
      '01-verdicts/6',
      '02-unloadable/1',
      '02-unloadable/2',
    ]);
  });

  it('gives each task its status, points and message', () => {
    const loadError = 'Not verified: 02-unloadable: the spec broke while loading (fixture-module is missing)';
    expect(run.results.tests.map((t) => [t.task_id, t.status, t.score, t.max_score, t.message])).toEqual([
      ['01-verdicts/1', 'pass', 3, 3, 'Table `fixture-table` has the keys pk and sk'],
      // A LearnerFailure is the learner's: fail.
      ['01-verdicts/2', 'fail', 0, 2, 'Table `fixture-table` has no sort key `sk` (found: pk HASH). See tests/fixtures/weeks/week-98/01-verdicts/README.md#task-2.'],
      // A ServiceError and a plain Error (a bug of the suite) could not verify: error, never the learner's.
      ['01-verdicts/3', 'error', 0, 2, 'DynamoDB Local did not answer at http://127.0.0.1:9 within 5 s.'],
      ['01-verdicts/4', 'error', 0, 1, 'fixture bug: cannot read the table description'],
      // Skipped for a missing optional tool: counted, as error, with the reason it recorded.
      ['01-verdicts/5', 'error', 0, 1, 'No Chromium was found (looked for /nonexistent/chromium).'],
      // Skipped without a reason (`.skip`, a name filter): not verified, and said so, not blamed on the run ending.
      ['01-verdicts/6', 'error', 0, 1, `Not verified: ${SKIPPED_REASON}`],
      // Its spec never loaded: every task of the lab, with the spec's error.
      ['02-unloadable/1', 'error', 0, 2, loadError],
      ['02-unloadable/2', 'error', 0, 1, loadError],
    ]);
  });

  it('keeps the evidence and the output of the steps a task recorded, passing or failing', () => {
    const passed = task(run.results, '01-verdicts/1');
    expect(passed?.evidence).toEqual({
      steps: [{ step: 'schema-load', command: './bin/ddb/schema-load', exitCode: 0, durationMs: 12, timedOut: false, output: 'created fixture-table\na warning' }],
      table: { name: 'fixture-table', keys: ['pk', 'sk'] },
    });
    expect(passed?.output).toBe('$ ./bin/ddb/schema-load\ncreated fixture-table\na warning');
    const failed = task(run.results, '01-verdicts/2');
    expect(failed?.evidence).toEqual({
      steps: [{ step: 'schema-load', command: './bin/ddb/schema-load', exitCode: 1, durationMs: 12, timedOut: false, output: 'no sort key given' }],
    });
    expect(failed?.output).toBe('$ ./bin/ddb/schema-load\nno sort key given');
    // A task that recorded nothing has no evidence at all (not an empty object) and no output.
    expect(task(run.results, '01-verdicts/3')).not.toHaveProperty('evidence');
    expect(task(run.results, '01-verdicts/3')?.output).toBe('');
  });

  it("takes each task's name and hint from its lab's definition, and times the tasks that ran", () => {
    expect(run.results.tests.map((t) => [t.task_id, t.name, t.hint, typeof t.duration_ms])).toEqual([
      ['01-verdicts/1', 'passes with evidence', 'Nothing to do: it passes.', 'number'],
      ['01-verdicts/2', "fails by the learner's fault", 'Give the table its sort key.', 'number'],
      ['01-verdicts/3', 'a service is down', 'Start DynamoDB Local.', 'number'],
      ['01-verdicts/4', 'the suite has a bug', 'Report it.', 'number'],
      ['01-verdicts/5', 'an optional tool is missing', 'Install Chromium.', 'number'],
      ['01-verdicts/6', 'skipped without a reason', 'Run it.', 'undefined'],
      ['02-unloadable/1', 'never declared', 'Fix the spec.', 'undefined'],
      ['02-unloadable/2', 'never declared either', 'Fix the spec.', 'undefined'],
    ]);
  });

  it('adds up each lab and the run: error when anything could not be verified, points only for passes', () => {
    expect(run.results).toMatchObject({ status: 'error', score: 3, max_score: 13 });
    expect(run.results.labs).toEqual([
      { id: '01-verdicts', title: 'Every way a task ends', status: 'error', score: 3, max_score: 10 },
      { id: '02-unloadable', title: 'A spec that does not load', status: 'error', score: 0, max_score: 3 },
    ]);
  });

  it('records the services the global setup provided, the reference submission, the environment and when the run was', () => {
    const { results } = run;
    expect(results.backend).toBe('external');
    expect(results.services).toEqual(FIXTURE_SERVICES);
    expect(results).not.toHaveProperty('message');
    expect(results.submission).toEqual({ kind: 'reference' });
    expect(results.environment).toEqual({
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      sandbox: { mode: 'none', reason: 'no learner code ran: the reference solution runs inside the suite' },
    });
    const started = Date.parse(results.started_at);
    const finished = Date.parse(results.finished_at);
    expect(started).toBeGreaterThanOrEqual(run.spawnedAt);
    expect(finished).toBeGreaterThanOrEqual(started);
    expect(finished).toBeLessThanOrEqual(run.exitedAt);
  });

  it("makes why the services did not start the run's message, with no backend", () => {
    const { results } = servicesDown;
    expect(servicesDown.exitCode, servicesDown.output).toBe(1);
    expect(results).toMatchObject({ status: 'error', message: SERVICES_DOWN, backend: 'none', services: null });
    // The tasks report as they ended (these specs do not use the services).
    expect(results.tests.map((t) => t.status)).toEqual(run.results.tests.map((t) => t.status));
  });

  it('still writes the results when a LAB_* setting is invalid, with what to fix as the message', () => {
    expect(badConfig.results.message).toMatch(/LAB_SANDBOX="bogus" is not a sandbox mode/);
    expect(badConfig.results.status).toBe('error');
  });
});
