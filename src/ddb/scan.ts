import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { defineScript } from './define-script.ts';
import { awsErrorName } from '../errors.ts';
import { dynamoFailure, missingTable } from './dynamo-errors.ts';
import { scanPages } from '../course/paginate.ts';
import { itemLine } from './print-item.ts';
import { modeArgs, parseScriptArgs } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = 'scan [prod] [--table NAME]';

/**
 * Prints every item of the table as one JSON line (plain values, not DynamoDB JSON), following
 * LastEvaluatedKey across 1 MB pages, then a count line: `scanned 106 items from cruddur-messages in 1 page`.
 */
export const scan = defineScript('scan', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const { target, client } = openDynamo(modeArgs(args.positional, USAGE), ctx);
  const table = args.table;
  let count = 0;
  let pages = 0;
  try {
    for await (const page of scanPages((input) => client.send(new ScanCommand(input)), { TableName: table })) {
      pages++;
      for (const item of page) {
        ctx.out(itemLine(item));
        count++;
      }
    }
  } catch (error) {
    throw awsErrorName(error) === 'ResourceNotFoundException' ? missingTable(table, target, error) : dynamoFailure('Scan', target, error);
  } finally {
    client.destroy();
  }
  ctx.out(`scanned ${count} items from ${table} in ${pages} ${pages === 1 ? 'page' : 'pages'}`);
  return 0;
});

