import pg from 'pg';

/**
 * The connection itself failed (nothing answers, a wrong password, no such database), as opposed to the work done
 * on it. Same message as the driver's error, which is its cause.
 */
export class PostgresConnectError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = 'PostgresConnectError';
  }
}

/**
 * The one way the suite talks to Postgres: runs `work` with a client connected to `url` and always closes it. A
 * server that does not answer fails the connection after `connectTimeoutMs` (a PostgresConnectError), and a dropped
 * connection does not crash the process.
 */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>, options: { connectTimeoutMs?: number } = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new PostgresConnectError(error);
  }
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `work` with sessions one after another on as few connections as it takes: `session()` hands the connection
 * back as a new session would find it (a transaction the last session left open is rolled back, then `DISCARD ALL`
 * resets settings, role, temporary tables, prepared statements and locks), or a new connection where the last
 * session broke this one (say it ended its own backend). A connection costs the server a process; a reset, a query.
 */
export async function withSessions<T>(url: string, work: (session: () => Promise<pg.Client>) => Promise<T>): Promise<T> {
  let current: { client: pg.Client; broken: boolean } | undefined;
  const open = async (): Promise<pg.Client> => {
    const state = { client: new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 }), broken: false };
    const broken = (): void => {
      state.broken = true;
    };
    state.client.on('error', broken);
    state.client.on('end', broken);
    try {
      await state.client.connect();
    } catch (error) {
      await state.client.end().catch(() => {});
      throw new PostgresConnectError(error);
    }
    current = state;
    return state.client;
  };
  const session = async (): Promise<pg.Client> => {
    const last = current;
    if (!last) return open();
    if (!last.broken) {
      try {
        await last.client.query('ROLLBACK');
        await last.client.query('DISCARD ALL');
        return last.client;
      } catch {
        // the connection is gone: a new one below
      }
    }
    current = undefined;
    await last.client.end().catch(() => {});
    return open();
  };
  try {
    return await work(session);
  } finally {
    await current?.client.end().catch(() => {});
  }
}
