import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { localDynamoClient } from '../ddb/client.ts';

/** One ListTables call: the readiness check and lab 01's first task. */
export async function probeDynamoDb(endpoint: string, timeoutMs = 2_000): Promise<string[]> {
  const client = localDynamoClient(endpoint, { maxAttempts: 1, timeoutMs });
  try {
    const out = await client.send(new ListTablesCommand({}));
    return out.TableNames ?? [];
  } finally {
    client.destroy();
  }
}

/** Connects once and returns the server version (`SHOW server_version`). */
export async function probePostgres(url: string, timeoutMs = 2_000): Promise<string> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => {});
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('SHOW server_version');
    return result.rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}
