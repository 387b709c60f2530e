import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type pg from 'pg';
import { withClient } from './pg-client.ts';
import { localDynamoClient } from './dynamo-client.ts';
import { errorMessage } from '../errors.ts';
import type { ServiceFacts } from './types.ts';

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

/** Connects once and returns the server version (`SHOW server_version`); `then` runs on the same session after. */
export async function probePostgres(url: string, timeoutMs = 2_000, then?: (client: pg.Client) => Promise<unknown>): Promise<string> {
  return withClient(
    url,
    async (client) => {
      const version = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? 'unknown';
      if (then) await then(client);
      return version;
    },
    { connectTimeoutMs: timeoutMs },
  );
}

/** Why DynamoDB Local or Postgres does not answer right now (each named), or undefined when both do. */
export async function servicesProblem(
  facts: Pick<ServiceFacts, 'dynamodb' | 'postgres'>,
  timeoutMs = 2_000,
  thenOnPostgres?: (client: pg.Client) => Promise<unknown>,
): Promise<string | undefined> {
  const [ddb, postgres] = await Promise.allSettled([probeDynamoDb(facts.dynamodb.endpoint, timeoutMs), probePostgres(facts.postgres.url, timeoutMs, thenOnPostgres)]);
  const problems = [
    ddb.status === 'rejected' ? `DynamoDB Local at ${facts.dynamodb.endpoint} no longer answers ListTables (${errorMessage(ddb.reason)})` : undefined,
    postgres.status === 'rejected' ? `Postgres no longer accepts the course's connection \`${facts.postgres.user}@${facts.postgres.host}:${facts.postgres.port}/${facts.postgres.database}\` (${errorMessage(postgres.reason)})` : undefined,
  ].filter(Boolean);
  return problems.length > 0 ? problems.join('; ') : undefined;
}
