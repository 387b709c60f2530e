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
