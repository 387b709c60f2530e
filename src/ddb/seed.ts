import { randomUUID } from 'node:crypto';
import { BatchWriteItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { awsErrorName, ConfigError, LabError } from '../errors.ts';
import { findUsersByHandle } from '../pg/find-users.ts';
import { marshallItem } from './attribute-values.ts';
import { batchPutAll } from '../course/batch-write.ts';
import { buildConversation, isMessageGroupItem } from '../course/conversation.ts';
import { defineScript } from './define-script.ts';
import { dynamoFailure, missingTable } from './dynamo-errors.ts';
import { describeTarget, resolvePostgresUrl } from './endpoint.ts';
import { modeArgs, parseScriptArgs } from './script-args.ts';
import { openDynamo } from './script-client.ts';

const USAGE = 'seed [prod] [--table NAME]   (env: CONNECTION_URL, SEED_MY_HANDLE, SEED_OTHER_HANDLE)';

/** The course's two users: the seed writes as `andrewbrown` to `bayko`. */
export const DEFAULT_HANDLES = { me: 'andrewbrown', other: 'bayko' } as const;

/**
 * Seeds one conversation: reads both users by handle from Postgres, then writes two message group items and
 * 104 message items into the table with BatchWriteItem. Checks the table first so that a missing table
 * fails before anything is written.
 */
export const seed = defineScript('seed', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const mode = modeArgs(args.positional, USAGE);
  const table = args.table;
  const postgresUrl = resolvePostgresUrl(ctx.env);
  const myHandle = ctx.env.SEED_MY_HANDLE?.trim() || DEFAULT_HANDLES.me;
  const otherHandle = ctx.env.SEED_OTHER_HANDLE?.trim() || DEFAULT_HANDLES.other;
  if (myHandle === otherHandle) {
    throw new ConfigError(`SEED_MY_HANDLE and SEED_OTHER_HANDLE are both ${JSON.stringify(myHandle)}; a conversation needs two different users.`);
  }
  const [me, other] = await findUsersByHandle(postgresUrl, [myHandle, otherHandle]);
  if (!me || !other) throw new LabError('findUsersByHandle returned fewer users than asked for; this is a bug in the suite.', 'suite');

  const { target, client } = openDynamo(mode, ctx);
  try {
    const described = await client.send(new DescribeTableCommand({ TableName: table })).catch((error: unknown) => {
      throw awsErrorName(error) === 'ResourceNotFoundException' ? missingTable(table, target, error) : dynamoFailure('DescribeTable', target, error);
    });
    if (described.Table?.TableStatus !== 'ACTIVE') {
      throw new ConfigError(`Table ${table} on ${describeTarget(target)} is ${described.Table?.TableStatus ?? 'in an unknown state'}, not ACTIVE. Wait for it, then seed again.`);
    }

    const groupUuid = randomUUID();
    const items = buildConversation({ me, other, now: new Date(), groupUuid });
    const started = Date.now();
    const report = await batchPutAll((input) => client.send(new BatchWriteItemCommand(input)), table, items.map(marshallItem));
    const groups = items.filter(isMessageGroupItem).length;
    ctx.out(`seeded ${report.written} items into ${table} (${groups} message groups, ${items.length - groups} messages)`);
    ctx.out(`message_group_uuid ${groupUuid} between ${me.handle} (${me.uuid}) and ${other.handle} (${other.uuid})`);
    ctx.err(`${report.batches} BatchWriteItem batches, ${report.retries} retries, ${Date.now() - started} ms`);
    return 0;
  } finally {
    client.destroy();
  }
});
