import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { defineScript } from './define-script.ts';
import { dynamoFailure } from './dynamo-errors.ts';
import { listAllTableNames } from '../course/paginate.ts';
import { modeArgs, parseScriptArgs } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = 'list-tables [prod]';

/** Prints every table name, one per line, following ListTables' pagination (100 names per call). */
export const listTables = defineScript('list-tables', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE, { tableOption: false });
  const { target, client } = openDynamo(modeArgs(args.positional, USAGE), ctx);
  try {
    const names = await listAllTableNames((input) => client.send(new ListTablesCommand(input))).catch((error: unknown) => {
      throw dynamoFailure('ListTables', target, error);
    });
    for (const name of names) ctx.out(name);
    if (names.length === 0) ctx.err('no tables');
    return 0;
  } finally {
    client.destroy();
  }
});
