import { CreateTableCommand, DescribeTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { awsErrorName, errorMessage, ServiceError } from '../errors.ts';
import { defineScript } from './define-script.ts';
import { dynamoFailure } from './dynamo-errors.ts';
import { describeTarget } from './endpoint.ts';
import { messagesTableDefinition } from '../course/messages-table.ts';
import { modeArgs, parseScriptArgs } from './script-args.ts';
import { openDynamo } from './script-client.ts';
import { summarizeTable } from './table-summary.ts';

const USAGE = 'schema-load [prod] [--table NAME]';

/** Longest wait for the new table to become ACTIVE; DynamoDB Local is immediate, real AWS takes seconds. */
const ACTIVE_TIMEOUT_S = 120;

/**
 * Creates the messages table (course schema: pk/sk, GSI `message-group-sk-index`, PROVISIONED 5/5), waits
 * until it is ACTIVE, prints the CreateTable description as JSON and a one-line summary of DescribeTable.
 * Exits 1 with a message when the table already exists.
 */
export const schemaLoad = defineScript('schema-load', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const { target, client } = openDynamo(modeArgs(args.positional, USAGE), ctx);
  const table = args.table;
  try {
    let created;
    try {
      created = await client.send(new CreateTableCommand(messagesTableDefinition(table)));
    } catch (error) {
      if (awsErrorName(error) === 'ResourceInUseException') {
        ctx.err(
          `schema-load: table ${table} already exists on ${describeTarget(target)}; nothing was changed. ` +
            `To start over, drop it first: npm run ddb:drop -- ${table}`,
        );
        return 1;
      }
      throw dynamoFailure('CreateTable', target, error);
    }
    try {
      await waitUntilTableExists({ client, maxWaitTime: ACTIVE_TIMEOUT_S, minDelay: 1, maxDelay: 10 }, { TableName: table });
    } catch (error) {
      throw new ServiceError(
        `Table ${table} was created but did not become ACTIVE within ${ACTIVE_TIMEOUT_S} s on ${describeTarget(target)}: ` +
          `${errorMessage(error)}. Check it with DescribeTable before seeding.`,
        { cause: error },
      );
    }
    const described = await client.send(new DescribeTableCommand({ TableName: table })).catch((error: unknown) => {
      throw dynamoFailure('DescribeTable', target, error);
    });
    for (const line of JSON.stringify(created.TableDescription ?? {}, null, 2).split('\n')) ctx.out(line);
    ctx.out(`created table ${described.Table ? summarizeTable(described.Table) : table}`);
    return 0;
  } finally {
    client.destroy();
  }
});
