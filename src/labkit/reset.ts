import { DeleteTableCommand, waitUntilTableNotExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ServiceError } from '../errors.ts';
import type { ServiceFacts } from '../services/types.ts';
import { listAllTables } from './ddb-observe.ts';

/**
 * Gives a lab an empty DynamoDB. Only in services the suite owns (or was allowed to reset): the labs never
 * drop data they did not create.
 */
export async function resetDynamoDb(client: DynamoDBClient, services: ServiceFacts): Promise<void> {
  const tables = await listAllTables(client);
  if (tables.length === 0) return;
  if (!services.owned) {
    throw new ServiceError(
      `The DynamoDB at ${services.dynamodb.endpoint} already holds tables (${tables.join(', ')}) that the labs did not create. ` +
        'The labs need an empty one and will not drop your data. Back them up if you need them, then set LAB_ALLOW_RESET=true, ' +
        'or let the suite start its own services (unset LAB_BACKEND).',
    );
  }
  await Promise.all(tables.map((TableName) => client.send(new DeleteTableCommand({ TableName }))));
  await Promise.all(tables.map((TableName) => waitUntilTableNotExists({ client, maxWaitTime: 30 }, { TableName })));
}
