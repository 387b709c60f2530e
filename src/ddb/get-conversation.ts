import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { conversationQuery, COURSE_GROUP_UUID, CONVERSATION_LIMIT, utcYear } from '../course/access-patterns.ts';
import { unmarshallItem } from './attribute-values.ts';
import { defineScript } from './define-script.ts';
import { awsErrorName } from '../errors.ts';
import { dynamoFailure, missingTable } from './dynamo-errors.ts';
import { checkGroupUuid, splitModeArgs } from './pattern-args.ts';
import { messageLine } from './pattern-lines.ts';
import { modeArgs, parseScriptArgs, UsageError } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = `get-conversation [GROUP_UUID] [prod] [--table NAME]   (default group: the course's ${COURSE_GROUP_UUID})`;

/**
 * Prints the newest 20 messages of a message group from the current (UTC) year: one Query on
 * `pk = MSG#<group> AND begins_with(sk, :year)`, newest first, Limit 20. The lines are printed oldest first,
 * the order a conversation is read in (the course reversed the query's items for display, too), then a count.
 */
export const getConversation = defineScript('get-conversation', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const { mode, rest } = splitModeArgs(args.positional);
  if (rest.length > 1) throw new UsageError(`Too many arguments (${rest.join(' ')}). Usage: ${USAGE}`);
  const group = rest[0] === undefined ? COURSE_GROUP_UUID : checkGroupUuid(rest[0], USAGE);
  const year = utcYear(new Date());
  const table = args.table;
  const { target, client } = openDynamo(modeArgs(mode, USAGE), ctx);
  try {
    const page = await client.send(new QueryCommand(conversationQuery(table, group, year))).catch((error: unknown) => {
      throw awsErrorName(error) === 'ResourceNotFoundException' ? missingTable(table, target, error) : dynamoFailure('Query', target, error);
    });
    const newestFirst = (page.Items ?? []).map(unmarshallItem);
    for (const item of [...newestFirst].reverse()) ctx.out(messageLine(item));
    const which = newestFirst.length === CONVERSATION_LIMIT ? `the newest ${CONVERSATION_LIMIT}, ` : '';
    ctx.out(`${newestFirst.length} messages of group ${group} from ${year} (${which}oldest first)`);
    ctx.err(`query consumed ${page.ConsumedCapacity?.CapacityUnits ?? '?'} read capacity units`);
    return 0;
  } finally {
    client.destroy();
  }
});
