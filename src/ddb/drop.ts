import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { awsErrorName, errorMessage, ServiceError } from '../errors.ts';
import { defineScript } from './define-script.ts';
import { dynamoFailure } from './dynamo-errors.ts';
import { describeTarget } from './endpoint.ts';
import { checkTableName, DEFAULT_TABLE, modeArgs, parseScriptArgs, UsageError } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = `drop TABLE_NAME [prod]   e.g. drop ${DEFAULT_TABLE}`;

/** Longest wait for the table to disappear; DynamoDB Local is immediate, real AWS passes through DELETING. */
const GONE_TIMEOUT_S = 120;

/**
 * Deletes the table named by the first argument and waits until it is gone. The name is required (no
 * default: dropping is destructive), and it never selects real AWS even if it contains "prod".
 */
export const drop = defineScript('drop', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE, { tableOption: false });
  const [name, ...rest] = args.positional;
  if (name === undefined) throw new UsageError(`No table name given. Usage: ${USAGE}`);
  const table = checkTableName(name, USAGE);
  const { target, client } = openDynamo(modeArgs(rest, USAGE), ctx);
  try {
    try {
      await client.send(new DeleteTableCommand({ TableName: table }));
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') {
        ctx.err(`drop: table ${table} does not exist on ${describeTarget(target)}; nothing was deleted. See the names with npm run ddb:list-tables.`);
        return 1;
      }
      throw dynamoFailure('DeleteTable', target, error);
    }
    try {
      await waitUntilTableNotExists({ client, maxWaitTime: GONE_TIMEOUT_S, minDelay: 1, maxDelay: 10 }, { TableName: table });
    } catch (error) {
      throw new ServiceError(
        `Table ${table} is being deleted but still exists after ${GONE_TIMEOUT_S} s on ${describeTarget(target)}: ${errorMessage(error)}.`,
        { cause: error },
      );
    }
    ctx.out(`deleted table ${table}`);
    return 0;
  } finally {
    client.destroy();
  }
});
