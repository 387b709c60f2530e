import type pg from 'pg';
import { withClient } from './pg-client.ts';
import { listTablesOverHttp } from './list-tables-http.ts';
import { errorMessage } from '../errors.ts';
import type { ServiceFacts } from './types.ts';

/** One ListTables call, signed as the SDK signs it: the services' readiness and health check. */
export async function probeDynamoDb(endpoint: string, timeoutMs = 2_000): Promise<string[]> {
  return listTablesOverHttp(endpoint, timeoutMs);
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
