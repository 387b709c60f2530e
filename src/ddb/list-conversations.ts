import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { awsErrorName, LabError } from '../errors.ts';
import { findUsersByHandle } from '../pg/find-users.ts';
import { conversationsQuery, utcYear } from '../course/access-patterns.ts';
import { unmarshallItem } from './attribute-values.ts';
import { defineScript } from './define-script.ts';
import { dynamoFailure, missingTable } from './dynamo-errors.ts';
import { resolvePostgresUrl } from './endpoint.ts';
import { queryAll } from '../course/paginate.ts';
import { splitModeArgs } from './pattern-args.ts';
import { groupLine } from './pattern-lines.ts';
import { modeArgs, parseScriptArgs, UsageError } from './script-args.ts';
import { openDynamo } from './script-client.ts';
import { DEFAULT_HANDLES } from './seed.ts';

const USAGE = `list-conversations [HANDLE] [prod] [--table NAME]   (env: CONNECTION_URL; default handle: ${DEFAULT_HANDLES.me})`;

/**
 * Prints a user's message groups from the current (UTC) year, most recent first: looks the user's uuid up
 * by handle in Postgres, then queries `pk = GRP#<uuid> AND begins_with(sk, :year)` (every page), one line
 * per group, then a count.
 */
export const listConversations = defineScript('list-conversations', async (ctx) => {
  const args = parseScriptArgs(ctx.args, USAGE);
  const { mode, rest } = splitModeArgs(args.positional);
  if (rest.length > 1) throw new UsageError(`Too many arguments (${rest.join(' ')}): give one handle. Usage: ${USAGE}`);
  const handle = rest[0] ?? DEFAULT_HANDLES.me;
  const dynamoMode = modeArgs(mode, USAGE);
  const postgresUrl = resolvePostgresUrl(ctx.env);
  const [user] = await findUsersByHandle(postgresUrl, [handle], {
    missingHint: 'Seed the course users with npm run db:setup, or name an existing handle: list-conversations HANDLE.',
  });
  if (!user) throw new LabError('findUsersByHandle returned no user; this is a bug in the suite.', 'suite');
  const year = utcYear(new Date());
  const table = args.table;
  const { target, client } = openDynamo(dynamoMode, ctx);
  try {
    const items = await queryAll((input) => client.send(new QueryCommand(input)), conversationsQuery(table, user.uuid, year)).catch((error: unknown) => {
      throw awsErrorName(error) === 'ResourceNotFoundException' ? missingTable(table, target, error) : dynamoFailure('Query', target, error);
    });
    for (const item of items) ctx.out(groupLine(unmarshallItem(item)));
    ctx.out(`${items.length} message ${items.length === 1 ? 'group' : 'groups'} of ${user.handle} (${user.uuid}) from ${year}, most recent first`);
    return 0;
  } finally {
    client.destroy();
  }
});
