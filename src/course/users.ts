import type pg from 'pg';
import { withClient } from '../services/pg-client.ts';

/** The course's `users` table (week 4 schema), written for this suite. */
export const USERS_SCHEMA_SQL = `
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
CREATE TABLE IF NOT EXISTS public.users (
  uuid UUID DEFAULT uuid_generate_v4() PRIMARY KEY,
  display_name text NOT NULL,
  handle text NOT NULL,
  email text NOT NULL,
  cognito_user_id text NOT NULL,
  created_at TIMESTAMP DEFAULT current_timestamp NOT NULL
);
`;

export interface CourseUser {
  display_name: string;
  handle: string;
  email: string;
  cognito_user_id: string;
}

/** The two users the course seeds; the DynamoDB seed looks them up by handle. */
export const COURSE_USERS: readonly CourseUser[] = [
  { display_name: 'Andrew Brown', handle: 'andrewbrown', email: 'andrew@exampro.co', cognito_user_id: 'MOCK' },
  { display_name: 'Andrew Bayko', handle: 'bayko', email: 'bayko@exampro.co', cognito_user_id: 'MOCK' },
];

export interface UserRow {
  uuid: string;
  display_name: string;
  handle: string;
}

/** Creates the `cruddur` database on a server if it is missing. `adminUrl` points at any database of it. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database.replaceAll('"', '""')}"`);
  });
}

/** Creates the users table if missing. */
export async function ensureUsersTable(url: string): Promise<void> {
  await withClient(url, (client) => client.query(USERS_SCHEMA_SQL));
}

/**
 * Replaces every user with the given ones under fresh uuids, so a seed that hard-codes uuids is caught.
 * Only for databases the suite owns or was allowed to reset.
 */
export async function reseedUsers(url: string, users: readonly CourseUser[] = COURSE_USERS): Promise<UserRow[]> {
  return withClient(url, (client) => reseedUsersWith(client, users));
}

/** `reseedUsers` on a session already open. */
export async function reseedUsersWith(client: pg.Client, users: readonly CourseUser[] = COURSE_USERS): Promise<UserRow[]> {
  try {
    await client.query(USERS_SCHEMA_SQL);
    await client.query('BEGIN');
    await client.query('DELETE FROM public.users');
    const rows: UserRow[] = [];
    for (const user of users) {
      const inserted = await client.query<UserRow>(
        `INSERT INTO public.users (uuid, display_name, handle, email, cognito_user_id)
         VALUES (uuid_generate_v4(), $1, $2, $3, $4) RETURNING uuid::text AS uuid, display_name, handle`,
        [user.display_name, user.handle, user.email, user.cognito_user_id],
      );
      rows.push(...inserted.rows);
    }
    await client.query('COMMIT');
    return rows;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** All users as the DynamoDB seed should see them. */
export async function readUsers(url: string): Promise<UserRow[]> {
  return withClient(url, readUsersWith);
}

/** `readUsers` on a session already open. */
export async function readUsersWith(client: pg.Client): Promise<UserRow[]> {
  const result = await client.query<UserRow>('SELECT uuid::text AS uuid, display_name, handle FROM public.users ORDER BY handle');
  return result.rows;
}

/**
 * Ends every other session of the client's role: what a learner's step left behind (a lock on users, a long query,
 * an idle connection of a backgrounded process) must not slow or block the labs after it. A role may end its own.
 */
export async function endOtherSessions(client: pg.Client): Promise<number> {
  const ended = await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = current_user AND pid <> pg_backend_pid()');
  return ended.rowCount ?? 0;
}
