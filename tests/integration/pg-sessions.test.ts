import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COURSE_POSTGRES } from '../../src/course/postgres-account.ts';
import { prepareUsers } from '../../src/course/prepare-users.ts';
import { startEmbeddedPostgres } from '../../src/services/embedded/postgres.ts';
import { withSessions } from '../../src/services/pg-client.ts';
import type { PostgresFacts, ServiceHandle } from '../../src/services/types.ts';
import { tempDir } from '../grader/fixtures.ts';

let postgres: ServiceHandle<PostgresFacts>;
// Removed after the file by the project's setup file (tests/setup/remove-temp-dirs.ts).
const dir = tempDir('cruddur-labs-pg-sessions-');

beforeAll(async () => {
  postgres = await startEmbeddedPostgres({ port: undefined, timeoutMs: 60_000, account: COURSE_POSTGRES });
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
});

const backend = async (client: pg.Client): Promise<number> => (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;

describe('sessions on one connection (withSessions)', () => {
  it('hands the next session the connection as a new session finds it', async () => {
    await withSessions(postgres.facts.url, async (session) => {
      const first = await session();
      const pid = await backend(first);
      await first.query("SET search_path = pg_catalog; SET application_name = 'left behind'; CREATE TEMP TABLE scratch (n int)");
      await first.query('CREATE TABLE IF NOT EXISTS public.kept (n int)');
      await first.query('BEGIN');
      await first.query('INSERT INTO public.kept VALUES (1)');

      const second = await session();
      expect(await backend(second)).toBe(pid);
      const state = await second.query<{ path: string; app: string; temp: string | null; kept: string }>(
        "SELECT current_setting('search_path') AS path, current_setting('application_name') AS app, to_regclass('pg_temp.scratch')::text AS temp, (SELECT count(*) FROM public.kept)::text AS kept",
      );
      // The first session's open transaction was rolled back, as when its connection closes.
      expect(state.rows[0]).toEqual({ path: '"$user", public', app: '', temp: null, kept: '0' });
      await second.query('DROP TABLE public.kept');
    });
  });

  it('opens a new connection after a session that ended its own', async () => {
    await withSessions(postgres.facts.url, async (session) => {
      const first = await session();
      const pid = await backend(first);
      await first.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => {});
      const second = await session();
      expect(await backend(second)).not.toBe(pid);
    });
  });
});

describe("a repository's schema.sql and seed.sql (prepareUsers)", () => {
  it('runs seed.sql on a fresh session whatever schema.sql left set', async () => {
    const schemaFile = path.join(dir, 'schema.sql');
    const seedFile = path.join(dir, 'seed.sql');
    // schema.sql ends by moving the search path away and leaving a transaction open; seed.sql names tables bare.
    writeFileSync(
      schemaFile,
      'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nCREATE TABLE public.users (uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY, display_name text, handle text, email text, cognito_user_id text);\nSET search_path = pg_catalog;\nBEGIN;\nCREATE TABLE public.never (n int);\n',
    );
    writeFileSync(seedFile, "INSERT INTO users (display_name, handle, email, cognito_user_id) VALUES ('Ada Lovelace', 'ada', 'ada@example.com', 'MOCK');\n");
    const prepared = await prepareUsers(postgres.facts.url, { schemaFile, seedFile });
    expect(prepared.notes).toEqual([]);
    expect(prepared.users.map((u) => u.handle)).toEqual(['ada']);
    const again = await prepareUsers(postgres.facts.url, { schemaFile, seedFile });
    // Fresh uuids every time, and the table the open transaction made was never kept.
    expect(again.users[0]!.uuid).not.toBe(prepared.users[0]!.uuid);
    await withSessions(postgres.facts.url, async (session) => {
      expect((await (await session()).query("SELECT to_regclass('public.never')::text AS t")).rows[0]).toEqual({ t: null });
    });
  });
});

describe('the embedded server', () => {
  it("checks the account's password with one round of key derivation", async () => {
    const wrong = new URL(postgres.facts.url);
    wrong.password = 'not-the-password';
    const refused = await withSessions(wrong.toString(), (session) => session()).catch((error: Error) => error);
    expect(String(refused)).toMatch(/password authentication failed/);
    const stored = await withSessions(postgres.facts.url, async (session) => (await session()).query<{ value: string }>("SELECT current_setting('scram_iterations') AS value"));
    expect(stored.rows[0]).toEqual({ value: '1' });
  });
});
