import pg from 'pg';

/**
 * The one way the suite talks to Postgres: runs `work` with a client connected to `url` and always closes it. A
 * server that does not answer fails the connection after `connectTimeoutMs`, and a dropped connection does not crash
 * the process.
 */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>, options: { connectTimeoutMs?: number } = {}): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}
