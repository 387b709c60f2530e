// The class grader across machines (shards and their merge) and when it is killed: through the CLI, with
// lab 01 only (it runs no learner step), so that these stay quick.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { materialize, tempDir } from './fixtures.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const GRADE = [process.execPath, ...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/grade.ts')];

function grade(args: string[]) {
  return spawnSync(GRADE[0] as string, [...GRADE.slice(1), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LAB_STEP_TIMEOUT_MS: '20000' } });
}

function classOf(names: string[]): string {
  const dir = path.join(tempDir('cruddur-shard-'), 'class');
  for (const name of names) renameSync(materialize('pass/course-final', path.dirname(dir) + '/m'), path.join(path.dirname(dir), 'm', name));
  renameSync(path.join(path.dirname(dir), 'm'), dir);
  return dir;
}

/** Every process whose parent chain leads to `root` (read from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      parent.set(Number(entry), Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]));
    } catch {
      // gone
    }
  }
  const found = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parent) if (!found.has(pid) && found.has(ppid)) grew = found.add(pid) !== undefined;
  }
  found.delete(root);
  return [...found];
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`);
function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

describe('grading a class in shards', () => {
  it('gives every repository to exactly one shard, and the merge makes one gradebook of them', () => {
    const dir = classOf(['ada', 'bo', 'cy']);
    const out = tempDir('cruddur-shards-out-');
    const one = grade(['--many', dir, '--shard', '1/2', '--out', path.join(out, 'shard-1'), '--labs', '01-dynamodb-local']);
    const two = grade(['--many', dir, '--shard', '2/2', '--out', path.join(out, 'shard-2'), '--labs', '01-dynamodb-local']);
    expect(one.status, one.stderr).toBe(0);
    expect(two.status, two.stderr).toBe(0);
    expect(one.stderr).toMatch(/shard 1\/2: 2 of 3 repositories/);
    expect(two.stderr).toMatch(/shard 2\/2: 1 of 3 repositories/);
    const merged = grade(['merge', path.join(out, 'shard-1'), path.join(out, 'shard-2'), '--out', path.join(out, 'all')]);
    expect(merged.status, merged.stderr).toBe(0);
    const rows = readFileSync(path.join(out, 'all', 'gradebook.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    expect(rows.map((row) => row.split(',')[0])).toEqual(['ada', 'bo', 'cy']);
    expect(readFileSync(path.join(out, 'all', 'class-summary.md'), 'utf8')).toMatch(/3 repositories/);
    const overlap = grade(['merge', path.join(out, 'shard-1'), path.join(out, 'shard-1', '..', 'shard-1', '.'), path.join(out, 'shard-2'), '--out', path.join(out, 'again')]);
    expect(overlap.status).toBe(2);
  }, 5 * 60_000);

  it('refuses a shard that is not i/n, saying what it takes', () => {
    const run = grade(['--many', ROOT, '--shard', '3/2']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/--shard/);
  });
});

describe('killing the grader', () => {
  it('ends its workers and everything they started, and removes their files', async () => {
    const dir = classOf(['ada', 'bo']);
    // A worker's folders: its temporary folder, and its Postgres data (in /dev/shm where there is room).
    const workerDirs = () =>
      new Set(
        [os.tmpdir(), '/dev/shm'].flatMap((parent) => {
          try {
            return readdirSync(parent)
              .filter((n) => n.startsWith('cruddur-labs-worker-') || n.startsWith('cruddur-labs-pg-'))
              .map((n) => path.join(parent, n));
          } catch {
            return [];
          }
        }),
      );
    const before = workerDirs();
    const child = spawn(GRADE[0] as string, [...GRADE.slice(1), '--many', dir, '--out', tempDir('cruddur-kill-out-'), '--jobs', '2'], { cwd: ROOT, stdio: 'ignore' });
    const pid = child.pid as number;
    // Wait (bounded) until both workers have their services up: a java process among the grader's descendants.
    let started: number[] = [];
    for (let i = 0; i < 600 && started.filter((p) => cmdline(p).includes('DynamoDBLocal')).length < 1; i++) {
      await delay(100);
      started = descendants(pid).filter(alive);
    }
    expect(started.length).toBeGreaterThan(2);
    process.kill(pid, 'SIGKILL');
    let left = started;
    for (let i = 0; i < 200 && left.length > 0; i++) {
      await delay(100);
      left = left.filter(alive);
    }
    expect(left.map((p) => `${p}: ${cmdline(p)}`)).toEqual([]);
    // The grader's reaper removes the workers' folders (their Postgres data among them) once they are gone.
    let stray = [...workerDirs()].filter((d) => !before.has(d));
    for (let i = 0; i < 100 && stray.length > 0; i++) {
      await delay(100);
      stray = [...workerDirs()].filter((d) => !before.has(d));
    }
    expect(stray).toEqual([]);
    // So do the locks of the sandbox uids it claimed for its workers.
    const locks = () =>
      readdirSync(os.tmpdir()).filter((n) => {
        try {
          return /^cruddur-labs-uid-\d+\.lock$/.test(n) && readFileSync(path.join(os.tmpdir(), n), 'utf8').trim() === String(pid);
        } catch {
          return false;
        }
      });
    for (let i = 0; i < 100 && locks().length > 0; i++) await delay(100);
    expect(locks()).toEqual([]);
  }, 5 * 60_000);
});
