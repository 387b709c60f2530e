import { readFile } from 'node:fs/promises';
import { withSessions } from '../services/pg-client.ts';
import { readUsersWith, reseedUsers, reseedUsersWith, type UserRow } from './users.ts';
import { runSqlScript } from './sql-script.ts';

/** A learner repository's own Postgres files (week 4's schema.sql and seed.sql). */
export interface DatabaseFiles {
  schemaFile: string;
  seedFile?: string;
  /** The files as the repository names them (`backend-flask/bin/db/sql/schema.sql`), for the evidence. */
  shown?: string[];
}

export interface PreparedUsers {
  users: UserRow[];
  /** What happened while loading the learner's files, for the results. */
  notes: string[];
}

const EMPTY_SCHEMA = 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;';

/**
 * Gives the labs a `users` table with fresh uuids: the learner's own schema.sql and seed.sql when the
 * repository has them (learners seeded their own handles), else the course's users. Only for databases
 * the suite owns: the public schema is dropped and rebuilt.
 */
export async function prepareUsers(url: string, files: DatabaseFiles | undefined): Promise<PreparedUsers> {
  if (!files) return { users: await reseedUsers(url), notes: [] };
  const notes: string[] = [];
  // Each file on a session of its own, as psql -f would run it (sessions on one connection: see withSessions); the
  // schema's session starts with an empty schema.
  const scripts = [files.schemaFile, files.seedFile].filter((f): f is string => f !== undefined);
  return withSessions(url, async (session) => {
    for (const [index, file] of scripts.entries()) {
      const errors = await runSqlScript(await session(), await readFile(file, 'utf8'), index === 0 ? { before: EMPTY_SCHEMA } : {});
      for (const e of errors) notes.push(`${file}: \`${e.statement.split('\n')[0]}\` failed: ${e.message}`);
    }
    // Fresh uuids on every run, even when seed.sql pasted them: a DynamoDB seed must read them from Postgres.
    const client = await session();
    await client.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"; UPDATE public.users SET uuid = uuid_generate_v4();').catch((error: Error) => {
      notes.push(`could not give the users fresh uuids: ${error.message}`);
    });
    const users = await readUsersWith(client).catch((error: Error) => {
      notes.push(`no usable users table after loading the repository's files (${error.message})`);
      return [] as UserRow[];
    });
    if (users.length > 0) return { users, notes };
    notes.push("the repository's schema.sql/seed.sql left no users; the course's users were loaded instead");
    const fresh = await session();
    await fresh.query(EMPTY_SCHEMA);
    return { users: await reseedUsersWith(fresh), notes };
  });
}
