import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { COURSE_POSTGRES } from '../../src/course/postgres-account.ts';
import { startEmbeddedPostgres } from '../../src/services/embedded/postgres.ts';

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
