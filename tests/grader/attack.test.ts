// Learner repositories that try to do harm (tests/fixtures/submissions/attack/), graded as one class with two
// innocent repositories: each gets exactly its verdict, and nothing outside its own sandbox changes or survives
// it: the suite's files, the classmates' repositories, the grader's services, the machine's processes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { listRepositories } from '../../src/grader/grade-class.ts';
import { readResults } from '../../src/renderers/index.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import type { RunResults, TaskResult } from '../../src/results/model.ts';
import { detectSandbox } from '../../src/sandbox/detect.ts';
import {
  changedFiles,
  fileHashes,
  listAttackFixtures,
  parseNetworkProbe,
  pgrep,
  readAttackExpected,
  runWatched,
  treeHash,
  type AttackExpected,
  type SeenProcess,
  type WatchedRun,
} from './attack-helpers.ts';
import { learnerToolsMissing, materialize, tempDir } from './fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GRADE = path.join(ROOT, 'scripts/grade.ts');
/** What the suite's checkout may change by itself while grading (caches, reports, installed packages). */
const SUITE_SKIP = ['node_modules', '.git', '.cache', 'reports', 'coverage', 'journal/assets'];
const STEP_TIMEOUT_MS = 20_000;
const JOBS = 2;
/**
 * Learner code runs as a uid each worker claims from 61000 (LAB_SANDBOX_UID's default) on, one no other worker
 * or grading run here holds; results.json names it (`environment.sandbox.detail`).
 */
const SANDBOX_UID = 61000;
const INNOCENTS = ['innocent-a', 'innocent-b'];
/** The labs `--many` runs (all but 06, which needs a browser and not the repository). */
const LABS = '01-dynamodb-local,02-create-table,03-seed,04-scan,05-list-tables,07-access-patterns';

const attacks = listAttackFixtures();
const sandbox = detectSandbox('auto', SANDBOX_UID);
const skipReason = sandbox.mode !== 'namespaces' ? `learner code cannot be sandboxed here (${sandbox.reason})` : learnerToolsMissing();
if (skipReason) console.warn(`[grader] skipping the attack fixtures: ${skipReason}`);

/**
 * The sandbox is required: the grader refuses to run these repositories without it rather than run them unguarded.
 * Their Python scripts run in warm interpreters, the mode with more moving parts (grade --many with a worker on every
 * core starts them cold).
 */
const gradeEnv = (): NodeJS.ProcessEnv => ({ ...process.env, LAB_SANDBOX: 'namespaces', LAB_WARM_PYTHON: 'true', LAB_STEP_TIMEOUT_MS: String(STEP_TIMEOUT_MS), LAB_OUTPUT_LIMIT_BYTES: String(4 * 1024 * 1024) });

/** The grader CLI as an instructor runs it. */
function grade(args: string[]) {
  return spawnSync(process.execPath, [...TYPESCRIPT_ARGS, GRADE, ...args], { cwd: ROOT, env: gradeEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const statuses = (results: RunResults): Record<string, string> => Object.fromEntries(results.tests.map((t) => [t.task_id, t.status]));

/** The recorded output of the learner's steps in a task (its evidence), or its captured output. */
function stepOutput(task: TaskResult | undefined): string {
  const steps = (task?.evidence?.steps as Array<{ output?: string }> | undefined) ?? [];
  return steps.length > 0 ? steps.map((s) => s.output ?? '').join('\n') : (task?.output ?? '');
}

const describeProcess = (p: SeenProcess): string => `pid ${p.pid} uid ${p.uid}, ${p.ageSeconds} s old: ${p.args}`;

describe.skipIf(skipReason !== undefined)('grading a class with attacking repositories in the sandbox', () => {
  const work = tempDir('cruddur-attack-');
  const classDir = path.join(work, 'class');
  const outDir = tempDir('cruddur-attack-out-');
  let repositories: string[] = [];
  let suiteBefore: Map<string, string>;
  let suiteAfter: Map<string, string>;
  const reposBefore = new Map<string, Map<string, string>>();
  const reposAfter = new Map<string, Map<string, string>>();
  let run: WatchedRun;
  let left: Record<string, string[]> = {};
  let durationMs = 0;

  beforeAll(async () => {
    mkdirSync(classDir);
    for (const fixture of attacks) materialize(fixture, classDir);
    for (const name of INNOCENTS) {
      const made = materialize('pass/course-final', path.join(work, name));
      renameSync(made, path.join(classDir, name));
    }
    repositories = listRepositories(classDir);
    suiteBefore = fileHashes(ROOT, SUITE_SKIP);
    for (const repo of repositories) reposBefore.set(path.basename(repo), fileHashes(repo));

    const started = Date.now();
    run = await runWatched(process.execPath, [...TYPESCRIPT_ARGS, GRADE, '--many', classDir, '--out', outDir, '--jobs', String(JOBS)], {
      cwd: ROOT,
      env: gradeEnv(),
      uids: [SANDBOX_UID, SANDBOX_UID + 10_000],
      // Every learner process ends with its step: none lives longer than the step timeout (and a margin).
      maxAgeSeconds: STEP_TIMEOUT_MS / 1000 + 5,
    });
    durationMs = Date.now() - started;
    console.log(`[grader] the attack class (${repositories.length} repositories) was graded in ${(durationMs / 1000).toFixed(1)} s`);

    left = {
      // Whole command lines: another `sleep 300` on the machine is not this run's.
      '^sleep 777$': pgrep('^sleep 777$'),
      '^sleep 30$': pgrep('^sleep 30$'),
      'cruddur-attack-daemon': pgrep('cruddur-attack-daemon'),
      [classDir]: pgrep(classDir),
      [outDir]: pgrep(outDir),
    };
    suiteAfter = fileHashes(ROOT, SUITE_SKIP);
    for (const repo of repositories) reposAfter.set(path.basename(repo), fileHashes(repo));
  }, 20 * 60_000);

  it('grades every repository and writes a gradebook with one row each', () => {
    expect(repositories.map((r) => path.basename(r))).toEqual([...attacks.map((f) => f.replace('/', '--')), ...INNOCENTS].sort());
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.stderr).toMatch(/sandbox: bubblewrap/);
    const csv = readFileSync(path.join(outDir, 'gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^repository,commit,status,score,max_score,01-dynamodb-local,/);
    expect(csv).toHaveLength(repositories.length + 1);
    expect(csv.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(repositories.map((r) => path.basename(r)).sort());
    // Some attacks fail on purpose, none could not be graded.
    expect(run.status, run.stderr.slice(-4000)).toBe(1);
  });

  const cases: Array<[string, AttackExpected]> = [
    ...attacks.map((fixture): [string, AttackExpected] => [fixture.replace('/', '--'), readAttackExpected(fixture)]),
    ...INNOCENTS.map((name): [string, AttackExpected] => [name, { description: 'pass/course-final as it is', fail: [] }]),
  ];

  describe.each(cases)('%s', (name, expected) => {
    let results: RunResults;
    beforeAll(async () => {
      results = await readResults(path.join(outDir, name, 'results.json'));
    });

    it('fails exactly the tasks its attack breaks, passes all others', () => {
      const failing = results.tests.filter((t) => t.status !== 'pass').map((t) => `${t.task_id} ${t.status}: ${t.message.split('\n')[0]}`);
      const expectedFailing = results.tests.filter((t) => expected.fail.includes(t.task_id)).map((t) => t.task_id);
      expect(expectedFailing.sort()).toEqual([...expected.fail].sort());
      expect(failing.map((line) => line.split(' ')[0]).sort(), failing.join('\n')).toEqual([...expected.fail].sort());
      for (const task of results.tests.filter((t) => expected.fail.includes(t.task_id))) expect(task.status, task.message).toBe('fail');
      expect(results.environment.sandbox?.mode).toBe('namespaces');
    });

    it('tells the learner why, in the words the fixture expects', () => {
      for (const [taskId, pattern] of Object.entries(expected.messages ?? {})) {
        const task = results.tests.find((t) => t.task_id === taskId);
        expect(task?.message).toMatch(new RegExp(pattern, 's'));
      }
    });

    it('really attacked: its step output shows what it tried', () => {
      for (const [taskId, pattern] of Object.entries(expected.evidence ?? {})) {
        const task = results.tests.find((t) => t.task_id === taskId);
        expect(stepOutput(task)).toMatch(new RegExp(pattern, 's'));
      }
    });
  });

  it("leaves the suite's files unchanged", () => {
    expect(changedFiles(suiteBefore, suiteAfter)).toEqual([]);
    expect(treeHash(suiteAfter)).toBe(treeHash(suiteBefore));
  });

  it('leaves every repository of the class as it was handed in', () => {
    for (const repo of repositories) {
      const name = path.basename(repo);
      const before = reposBefore.get(name) ?? new Map<string, string>();
      const after = reposAfter.get(name) ?? new Map<string, string>();
      expect(changedFiles(before, after), name).toEqual([]);
      expect(treeHash(after), name).toBe(treeHash(before));
    }
  });

  it('leaves no process behind: every learner process ended with its step', async () => {
    // The uids this run's workers claimed (another grading run on this machine has others).
    const uids = new Set<number>();
    for (const repo of repositories) {
      const results = await readResults(path.join(outDir, path.basename(repo), 'results.json'));
      const uid = results.environment.sandbox?.detail?.match(/\buid (\d+)/)?.[1];
      if (uid) uids.add(Number(uid));
    }
    expect(uids.size).toBeGreaterThan(0);
    // The watch saw this run's learner code run, and none of it outlived its step.
    expect([...uids].some((uid) => (run.seen.get(uid) ?? 0) > 0), `seen: ${JSON.stringify([...run.seen])}`).toBe(true);
    expect(run.overAge.filter((p) => uids.has(p.uid)).map(describeProcess)).toEqual([]);
    for (const [pattern, found] of Object.entries(left)) expect(found, `pgrep -f '${pattern}'`).toEqual([]);
  });

  it('shows learner code only the loopback interface and no route', async () => {
    const results = await readResults(path.join(outDir, 'attack--network-probe', 'results.json'));
    const output = stepOutput(results.tests.find((t) => t.task_id === '05-list-tables/1'));
    const view = parseNetworkProbe(output);
    expect(view.sections).toEqual(expect.arrayContaining(['/proc/net/dev', '/proc/net/route', 'end']));
    expect(view.interfaces, output).toEqual(['lo']);
    expect(view.ipRoutes.filter((l) => /^default\b/.test(l.trim())), output).toEqual([]);
    expect(view.ipRoutes.filter((l) => !/\bdev lo\b/.test(l)), output).toEqual([]);
    // /proc/net/route lists IPv4 routes; a default route has destination 00000000. Loopback's own routes live
    // in the local table, which this file does not show: any row at all would be a route out.
    expect(view.procRoutes.filter((r) => r.destination === '00000000'), output).toEqual([]);
    expect(view.procRoutes.filter((r) => r.iface !== 'lo'), output).toEqual([]);
  });

  it('grades an innocent repository alone exactly as it graded it in the class', async () => {
    const repo = path.join(classDir, INNOCENTS[0] as string);
    const out = path.join(work, 'alone');
    const alone = grade([repo, '--out', out, '--labs', LABS]);
    expect(alone.status, alone.stderr.slice(-4000)).toBe(0);
    const solo = await readResults(path.join(out, 'results.json'));
    for (const name of INNOCENTS) {
      const inClass = await readResults(path.join(outDir, name, 'results.json'));
      expect(statuses(solo), name).toEqual(statuses(inClass));
    }
    expect(Object.values(statuses(solo)).every((s) => s === 'pass')).toBe(true);
  }, 10 * 60_000);
});
