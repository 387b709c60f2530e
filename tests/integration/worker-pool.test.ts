import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPool, type JobOutcome } from '../../src/grader/worker/pool.ts';
import { detectSandbox, type SandboxSupport } from '../../src/sandbox/detect.ts';
import type { GradeJob } from '../../src/grader/worker/protocol.ts';
import { tempDir } from '../grader/fixtures.ts';

const STAND_IN = new URL('./helpers/stand-in-worker.ts', import.meta.url).pathname;

function jobs(names: string[]): GradeJob[] {
  const out = tempDir('pool-test-');
  return names.map((name, index) => ({ index, repository: path.join('/class', name), outDir: path.join(out, name), hidden: [] }));
}

async function grade(names: string[], env: NodeJS.ProcessEnv = {}, repositoryTimeoutMs = 30_000, sandbox: SandboxSupport = { mode: 'none', reason: 'test' }) {
  const list = jobs(names);
  for (const job of list) await import('node:fs/promises').then((fs) => fs.mkdir(job.outDir, { recursive: true }));
  const outcomes: JobOutcome[] = [];
  const lines: string[] = [];
  const before = new Set(readdirSync(os.tmpdir()).filter((n) => n.startsWith('cruddur-labs-worker-')));
  await runPool(
    list,
    { jobs: 2, sandbox, env: { ...process.env, ...env }, repositoryTimeoutMs, output: () => {}, log: (l) => lines.push(l), workerMain: STAND_IN, baseUid: 62_000 },
    (o) => outcomes.push(o),
  );
  const leftover = readdirSync(os.tmpdir()).filter((n) => n.startsWith('cruddur-labs-worker-') && !before.has(n));
  return { outcomes, lines, leftover, byName: (name: string) => outcomes.find((o) => path.basename(o.job.repository) === name) };
}

describe('the pool of grading workers', () => {
  it('grades every repository once, on two workers, and removes their folders', async () => {
    const { outcomes, leftover } = await grade(['a-slow', 'b', 'c', 'd-slow', 'e']);
    expect(outcomes.map((o) => o.job.index).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(outcomes.every((o) => o.results?.status === 'pass' && o.attempts === 1)).toBe(true);
    expect(new Set(outcomes.map((o) => o.results?.environment.platform.split(' pid')[0]))).toEqual(new Set(['worker 0', 'worker 1']));
    expect(leftover).toEqual([]);
  });

  it('replaces a worker that dies and grades its repository once more; the others are not touched', async () => {
    const { outcomes, byName, lines } = await grade(['a', 'b-crash-once', 'c', 'd']);
    expect(outcomes).toHaveLength(4);
    expect(byName('b-crash-once')).toMatchObject({ attempts: 2, results: { status: 'pass' } });
    for (const name of ['a', 'c', 'd']) expect(byName(name)).toMatchObject({ attempts: 1, results: { status: 'pass' } });
    expect(lines.join('\n')).toMatch(/worker \d stopped while grading b-crash-once; a new worker grades it again/);
  });

  it('replaces a worker that could not grade a repository, and grades it once more on the new one', async () => {
    const { byName } = await grade(['a', 'b-broken-once', 'c']);
    const broken = byName('b-broken-once');
    expect(broken).toMatchObject({ attempts: 2, results: { status: 'pass' } });
    const marker = readFileSync(path.join(broken?.job.outDir ?? '', 'crashed-once'), 'utf8');
    expect(broken?.results?.environment.platform).not.toContain(`pid ${marker} `);
  });

  it('reports a repository whose worker dies twice as not gradable, and grades the rest', async () => {
    const { byName } = await grade(['a', 'b-crash-always', 'c']);
    expect(byName('b-crash-always')?.results).toBeUndefined();
    expect(byName('b-crash-always')?.error).toMatch(/could not be graded: the grading worker stopped \(SIGKILL\).*\(twice\)/);
    expect(byName('a')?.results?.status).toBe('pass');
    expect(byName('c')?.results?.status).toBe('pass');
  });

  it('stops a repository that takes too long, without grading it again', async () => {
    const { byName } = await grade(['a', 'b-hang', 'c'], {}, 1_500);
    expect(byName('b-hang')).toMatchObject({ attempts: 1, error: expect.stringMatching(/took longer than 2 s/) });
    expect(byName('c')?.results?.status).toBe('pass');
  });

  it('reports every repository as not gradable when no worker can start, with the reason', async () => {
    const { outcomes, leftover } = await grade(['a', 'b'], { STAND_IN_FAIL_START: '1' });
    expect(outcomes.map((o) => o.error)).toEqual([expect.stringMatching(/stand-in refuses/), expect.stringMatching(/stand-in refuses/)]);
    expect(leftover).toEqual([]);
    expect(existsSync('/class')).toBe(false);
  });
});

const support = detectSandbox('auto', 61_000);
describe.skipIf(support.mode === 'none')('the pool with the sandbox', () => {
  it('starts each worker in a network namespace of its own, where only loopback is up', async () => {
    const { outcomes, leftover } = await grade(['a', 'b', 'c'], {}, 30_000, support);
    expect(outcomes.map((o) => o.results?.environment.platform.split(' interfaces ')[1])).toEqual(['lo', 'lo', 'lo']);
    expect(leftover).toEqual([]);
  });

  it('still replaces a worker that dies inside its namespaces', async () => {
    const { byName } = await grade(['a', 'b-crash-once'], {}, 30_000, support);
    expect(byName('b-crash-once')).toMatchObject({ attempts: 2, results: { status: 'pass' } });
  });
});
