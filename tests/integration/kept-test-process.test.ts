import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localImports } from '../../src/runner/lab-runner.ts';
import { materialize } from '../grader/fixtures.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const work = mkdtempSync(path.join(os.tmpdir(), 'kept-test-process-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Stats {
  forked: number;
  reused: number;
  alive: number[];
}
interface Report {
  runs: Array<{ submission: string; status?: string; score?: number; startedAt?: string; finishedAt?: string; stats: Stats }>;
  afterClose: Stats;
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The helper's runs (`reference` or a repository path each) through one LabRunner, with this file's cache. */
function keptRuns(submissions: string[]): Report {
  const run = spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'tests/integration/helpers/kept-runs.ts'), ...submissions], {
    cwd: ROOT,
    env: { ...process.env, LAB_BACKEND: 'embedded', LAB_CACHE_DIR: path.join(work, 'cache') },
    encoding: 'utf8',
    timeout: 180_000,
  });
  expect(run.status, run.stderr.slice(-3000)).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as Report;
}

describe('a test process kept from one run to the next (LabRunner: grading workers, watch mode)', () => {
  it('serves each run with that run\'s submission, and ends with the runner', () => {
    const broken = materialize('fail/list-tables-broken-shebang', work);
    const report = keptRuns(['reference', broken, 'reference']);
    // The environment of each run reaches the kept process: the broken repository fails, the reference after it passes.
    expect(report.runs.map((r) => r.status)).toEqual(['pass', 'fail', 'pass']);
    // Each run's results have their own start, after the run before it ended.
    for (const [before, run] of report.runs.slice(0, -1).map((r, i) => [r, report.runs[i + 1]] as const)) {
      expect(Date.parse(run?.startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(before.finishedAt ?? ''));
    }
    // One process served all three runs.
    expect(report.runs.map((r) => r.stats.forked)).toEqual([1, 1, 1]);
    expect(report.runs.at(-1)?.stats.reused).toBe(2);
    const [pid] = report.runs[0]?.stats.alive ?? [];
    expect(pid).toBeGreaterThan(0);
    expect(report.runs.every((r) => r.stats.alive.length === 1 && r.stats.alive[0] === pid)).toBe(true);
    expect(report.afterClose.alive).toEqual([]);
    expect(isAlive(pid ?? 0)).toBe(false);
  });

  it('starts a test process ahead of the first run with what the last runner here remembered', () => {
    // The first test left the arguments and the modules to load in its cache; a new runner starts a process at
    // once and its first run uses it.
    const report = keptRuns(['reference']);
    expect(report.runs[0]?.status).toBe('pass');
    expect(report.runs[0]?.stats).toMatchObject({ forked: 1, reused: 1 });
  });
});

describe('localImports', () => {
  it("lists a spec's own modules, not packages nor type-only imports", () => {
    const spec = path.join(ROOT, 'labs/week-05/03-seed/seed.spec.ts');
    const found = localImports(spec);
    expect(found).toContain(path.join(ROOT, 'src/labkit/lab-context.ts'));
    expect(found).toContain(path.join(ROOT, 'labs/week-05/03-seed/lab.ts'));
    expect(found).not.toContain(path.join(ROOT, 'src/submission/types.ts'));
    expect(found.every((f) => path.isAbsolute(f))).toBe(true);
    expect(localImports(path.join(ROOT, 'no-such.spec.ts'))).toEqual([]);
  });
});
