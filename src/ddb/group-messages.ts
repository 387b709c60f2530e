import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { awsErrorName, ConfigError } from '../errors.ts';
import { COURSE_GROUP_UUID, isMissingIndex, queryGroupIndex } from '../course/access-patterns.ts';
import { defineScript } from './define-script.ts';
import { dynamoFailure, missingTable } from './dynamo-errors.ts';
import { describeTarget } from './endpoint.ts';
import { MESSAGE_GROUP_INDEX } from '../course/messages-table.ts';
import { checkGroupUuid, splitModeArgs } from './pattern-args.ts';
import { itemLine } from './print-item.ts';
import { modeArgs, parseScriptArgs, UsageError } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = `group-messages [GROUP_UUID] [prod] [--table NAME]   (default group: the course's ${COURSE_GROUP_UUID})`;

/**
 * Prints every item of a message group found through the GSI `message-group-sk-index`, as JSON lines, then
 * a count. With the course's data model these are the group's message group items, one per participant.
 */
export const groupMessages = defineScript('group-messages', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const { mode, rest } = splitModeArgs(args.positional);
  if (rest.length > 1) throw new UsageError(`Too many arguments (${rest.join(' ')}). Usage: ${USAGE}`);
  const group = rest[0] === undefined ? COURSE_GROUP_UUID : checkGroupUuid(rest[0], USAGE);
  const table = args.table;
  const { target, client } = openDynamo(modeArgs(mode, USAGE), ctx);
  try {
    const items = await queryGroupIndex((input) => client.send(new QueryCommand(input)), table, group).catch((error: unknown) => {
      if (awsErrorName(error) === 'ResourceNotFoundException') throw missingTable(table, target, error);
      if (isMissingIndex(error)) {
        throw new ConfigError(
          `Table ${table} on ${describeTarget(target)} has no GSI ${MESSAGE_GROUP_INDEX}. Drop the table and create it again with ` +
            'npm run ddb:schema-load, whose schema has the index.',
          { cause: error },
        );
      }
      throw dynamoFailure('Query', target, error);
    });
    for (const item of items) ctx.out(itemLine(item));
    ctx.out(`${items.length} ${items.length === 1 ? 'item' : 'items'} of group ${group} through ${MESSAGE_GROUP_INDEX}`);
    return 0;
  } finally {
    client.destroy();
  }
});
