import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_POSTGRES } from '../../src/course/postgres-account.ts';
import { findExecutable } from '../../src/executables.ts';
import { startEmbeddedPostgres } from '../../src/services/embedded/postgres.ts';
import { sharedMemory, stillThere } from './helpers/shared-memory.ts';

const cache = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-template-test-'));
// As a checkout's .cache is: initdb, run as the postgres user when the suite is root, reaches into it.
chmodSync(cache, 0o755);
afterAll(() => rmSync(cache, { recursive: true, force: true }));
const templateDir = (): string => {
  const name = readdirSync(cache).find((n) => n.startsWith('postgres-template-'));
  if (!name) throw new Error(`no template in ${cache}`);
  return path.join(cache, name);
};

async function answers(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one ?? 0;
  } finally {
    await client.end();
  }
}

describe('the embedded Postgres template cluster', () => {
  it('is made again when a copy of it does not start (a damaged cache), and the start goes on', async () => {
    const first = await startEmbeddedPostgres({ port: undefined, timeoutMs: 60_000, cacheDir: cache, account: COURSE_POSTGRES });
    await first.stop();
    // What a copy that lost files (or their owner) looks like to Postgres: it exits before it is ready.
    const control = path.join(templateDir(), 'data', 'global', 'pg_control');
    rmSync(control);

    const second = await startEmbeddedPostgres({ port: undefined, timeoutMs: 60_000, cacheDir: cache, account: COURSE_POSTGRES });
    try {
      expect(await answers(second.facts.url)).toBe(1);
      expect(existsSync(control)).toBe(true);
    } finally {
      await second.stop();
    }
  }, 120_000);
});

/** The pids of this process's own child processes named `comm`. */
function ownChildren(comm: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) === comm && Number(fields[1]) === process.pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe.skipIf(!findExecutable('ipcs'))('the embedded Postgres server', () => {
  it('stops at once and leaves neither a process nor its shared memory behind', async () => {
    const server = await startEmbeddedPostgres({ port: undefined, timeoutMs: 60_000, cacheDir: cache, account: COURSE_POSTGRES });
    // This server's postmaster: the only Postgres this test process runs (the test before stopped its own).
    const postmasters = ownChildren('postgres');
    expect(postmasters).toHaveLength(1);
    const postmaster = postmasters[0];
    // The segment Postgres keeps as an interlock: what a killed server would leave on the machine.
    const segments = sharedMemory().filter((segment) => segment.creator === postmaster);
    expect(segments.length).toBeGreaterThan(0);
    await server.stop();
    expect(existsSync(`/proc/${postmaster}`)).toBe(false);
    expect(stillThere(segments)).toEqual([]);
  }, 120_000);
});
