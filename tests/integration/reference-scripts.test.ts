import {
  type AttributeValue,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { localDynamoClient } from '../../src/services/dynamo-client.ts';
import { createScratchTable } from '../../src/labkit/scratch-table.ts';
import { listAllTableNames, SCAN_PAGE_ITEMS } from '../../src/course/paginate.ts';
import { putItems } from '../../src/labkit/put-items.ts';
import { captureContext, type Script } from '../../src/ddb/script-context.ts';
import { REFERENCE_SCRIPTS } from '../../src/ddb/scripts.ts';
import { readUsers, type UserRow } from '../../src/course/users.ts';
import { dbSetup } from '../../src/pg/db-setup.ts';
import { startServices, type RunningServices } from '../../src/services/start-services.ts';

// The reference scripts against real DynamoDB Local and Postgres, in-process, in the course's order.
// The embedded backend is the default here so that the test never pulls images; LAB_BACKEND overrides it.
const TABLE = 'cruddur-messages';
let services: RunningServices;
let dynamo: DynamoDBClient;
let env: Record<string, string>;

async function run(script: Script, args: string[] = [], extraEnv: Record<string, string> = {}) {
  const captured = captureContext(args, { ...env, ...extraEnv });
  const started = Date.now();
  const code = await script(captured.ctx);
  return { code, ms: Date.now() - started, stdout: captured.stdout, stderr: captured.stderr.join('\n') };
}

async function scanAll(table: string): Promise<Array<Record<string, string>>> {
  const items: Array<Record<string, string>> = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) items.push(Object.fromEntries(Object.entries(item).map(([k, v]) => [k, v.S ?? JSON.stringify(v)])));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

async function tableNames(): Promise<string[]> {
  return (await dynamo.send(new ListTablesCommand({}))).TableNames ?? [];
}

beforeAll(async () => {
  services = await startServices(loadConfig({ ...process.env, LAB_BACKEND: process.env.LAB_BACKEND ?? 'embedded' }));
  env = { AWS_ENDPOINT_URL_DYNAMODB: services.facts.dynamodb.endpoint, CONNECTION_URL: services.facts.postgres.url };
  dynamo = localDynamoClient(services.facts.dynamodb.endpoint);
}, 180_000);

afterAll(async () => {
  dynamo?.destroy();
  await services?.stop();
}, 60_000);

describe('reference scripts against real services', () => {
  let users: UserRow[];

  it('db-setup loads the users schema and the two course users', async () => {
    const result = await run(dbSetup);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    users = await readUsers(services.facts.postgres.url);
    expect(users.map((user) => user.handle)).toEqual(['andrewbrown', 'bayko']);
  });

  it('schema-load creates the course table, ACTIVE, with its GSI and 5/5 capacity', async () => {
    const result = await run(REFERENCE_SCRIPTS['schema-load']);
    expect(result.code, result.stderr).toBe(0);
    const table = (await dynamo.send(new DescribeTableCommand({ TableName: TABLE }))).Table;
    expect(table?.TableStatus).toBe('ACTIVE');
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const gsi = table?.GlobalSecondaryIndexes?.[0];
    expect(gsi?.IndexName).toBe('message-group-sk-index');
    expect(gsi?.KeySchema).toEqual([
      { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(gsi?.Projection?.ProjectionType).toBe('ALL');
    expect(table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 5 });
    expect(result.stdout.at(-1)).toBe(
      'created table cruddur-messages ACTIVE: pk HASH S, sk RANGE S; GSI message-group-sk-index (message_group_uuid HASH S, sk RANGE S, ALL); PROVISIONED 5/5',
    );
    expect(JSON.parse(result.stdout.slice(0, -1).join('\n'))).toMatchObject({ TableName: TABLE });
  });

  it('schema-load refuses an existing table with exit 1 and a clear message', async () => {
    const result = await run(REFERENCE_SCRIPTS['schema-load']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/table cruddur-messages already exists on DynamoDB at http:\/\/127\.0\.0\.1:\d+ \(AWS_ENDPOINT_URL_DYNAMODB\); nothing was changed/);
  });

  it('seed writes 2 message groups and 104 messages that match the Postgres users', async () => {
    const result = await run(REFERENCE_SCRIPTS.seed);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout[0]).toBe('seeded 106 items into cruddur-messages (2 message groups, 104 messages)');
    console.info(`seed of 106 items took ${result.ms} ms (${result.stderr.split('\n').at(-1)})`);

    const items = await scanAll(TABLE);
    expect(items).toHaveLength(106);
    const byHandle = new Map(users.map((user) => [user.handle, user]));
    const me = byHandle.get('andrewbrown');
    const other = byHandle.get('bayko');
    const groups = items.filter((item) => item.pk?.startsWith('GRP#'));
    const messages = items.filter((item) => item.pk?.startsWith('MSG#'));
    expect(groups.map((group) => `${group.pk}->${group.user_handle}`).sort()).toEqual([`GRP#${me?.uuid}->bayko`, `GRP#${other?.uuid}->andrewbrown`].sort());
    const groupUuid = groups[0]?.message_group_uuid;
    expect(groups[1]?.message_group_uuid).toBe(groupUuid);
    expect(result.stdout[1]).toContain(`message_group_uuid ${groupUuid}`);
    expect(messages).toHaveLength(104);
    const now = Date.now();
    for (const message of messages) {
      expect(message.pk).toBe(`MSG#${groupUuid}`);
      expect(Date.parse(message.sk ?? '')).toBeLessThan(now);
      expect(byHandle.get(message.user_handle ?? '')?.uuid).toBe(message.user_uuid);
      expect(byHandle.get(message.user_handle ?? '')?.display_name).toBe(message.user_display_name);
    }
    const newest = messages.map((message) => message.sk ?? '').sort().at(-1);
    expect(groups.every((group) => group.sk === newest)).toBe(true);
  });

  it('seed names a handle that is not in Postgres and writes nothing', async () => {
    const result = await run(REFERENCE_SCRIPTS.seed, [], { SEED_OTHER_HANDLE: 'nobody' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/No user with handle "nobody" in Postgres at postgresql:\/\/postgres:\*\*\*@/);
    expect(await scanAll(TABLE)).toHaveLength(106);
  });

  it('seed says when Postgres cannot be reached', async () => {
    const result = await run(REFERENCE_SCRIPTS.seed, [], { CONNECTION_URL: 'postgresql://postgres:password@127.0.0.1:9/cruddur' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Could not connect to Postgres at postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/cruddur/);
  });

  it('seed says when the users table is missing, and that it is not a connection problem', async () => {
    const result = await run(REFERENCE_SCRIPTS.seed, [], { CONNECTION_URL: services.facts.postgres.url.replace(/\/cruddur$/, '/postgres') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/has no users table\. Load the schema and users first: npm run db:setup\./);
    expect(result.stderr).not.toMatch(/Could not connect/);
  });

  it('scan prints all 106 items as JSON lines, then a count line', async () => {
    const result = await run(REFERENCE_SCRIPTS.scan);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(106);
    expect(result.stdout.at(-1)).toBe('scanned 106 items from cruddur-messages in 1 page');
    const printed = new Set(lines.map((item) => `${String(item.pk)}|${String(item.sk)}`));
    for (const item of await scanAll(TABLE)) expect(printed.has(`${item.pk}|${item.sk}`)).toBe(true);
  });

  it('get-conversation prints the newest 20 messages of this year, oldest first', async () => {
    const items = await scanAll(TABLE);
    const groupUuid = items.find((item) => item.pk?.startsWith('GRP#'))?.message_group_uuid ?? '';
    const year = String(new Date().getUTCFullYear());
    // The seed starts a day ago: on January 1st part of it lies in last year, which the pattern leaves out.
    const newest = items
      .filter((item) => item.pk === `MSG#${groupUuid}` && item.sk?.startsWith(year))
      .sort((a, b) => ((a.sk ?? '') < (b.sk ?? '') ? -1 : 1))
      .slice(-20);
    const result = await run(REFERENCE_SCRIPTS['get-conversation'], [groupUuid]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.at(-1)).toBe(`${newest.length} messages of group ${groupUuid} from ${year} (the newest 20, oldest first)`);
    // Lines are `<handle padded to 12> <YYYY-MM-DD HH:MM>  <message>`.
    expect(result.stdout.slice(0, -1).map((line) => line.slice(31))).toEqual(newest.map((item) => item.message));
  });

  it('list-conversations prints the message group of a handle looked up in Postgres', async () => {
    const me = await run(REFERENCE_SCRIPTS['list-conversations']);
    expect(me.code, me.stderr).toBe(0);
    const andrew = users.find((user) => user.handle === 'andrewbrown');
    expect(me.stdout).toHaveLength(2);
    expect(me.stdout[0]).toMatch(/ bayko \(Andrew Bayko\): /);
    expect(me.stdout[1]).toBe(`1 message group of andrewbrown (${andrew?.uuid}) from ${new Date().getUTCFullYear()}, most recent first`);

    const other = await run(REFERENCE_SCRIPTS['list-conversations'], ['bayko']);
    expect(other.stdout[0]).toMatch(/ andrewbrown \(Andrew Brown\): /);

    const nobody = await run(REFERENCE_SCRIPTS['list-conversations'], ['nobody']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/No user with handle "nobody" in Postgres .*list-conversations HANDLE/);
  });

  it('group-messages finds both group items of a conversation through the GSI', async () => {
    const groupUuid = (await scanAll(TABLE)).find((item) => item.pk?.startsWith('GRP#'))?.message_group_uuid ?? '';
    const result = await run(REFERENCE_SCRIPTS['group-messages'], [groupUuid]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.slice(0, -1).map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines.map((item) => item.pk).sort()).toEqual(users.map((user) => `GRP#${user.uuid}`).sort());
    expect(result.stdout.at(-1)).toBe(`2 items of group ${groupUuid} through message-group-sk-index`);
  });

  it('scan follows LastEvaluatedKey past a 1 MB page', async () => {
    const big = 'scan-pages-test';
    await createScratchTable(dynamo, big);
    // Four items of ~350 KB each: more than one 1 MB scan page.
    for (let i = 0; i < 4; i++) await dynamo.send(new PutItemCommand({ TableName: big, Item: { pk: { S: `item-${i}` }, blob: { S: 'x'.repeat(350_000) } } }));
    const result = await run(REFERENCE_SCRIPTS.scan, ['--table', big]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.at(-1)).toMatch(/^scanned 4 items from scan-pages-test in [2-9] pages$/);
    expect(result.stdout.slice(0, -1).map((line) => (JSON.parse(line) as { pk: string }).pk).sort()).toEqual(['item-0', 'item-1', 'item-2', 'item-3']);
    expect((await run(REFERENCE_SCRIPTS.drop, [big])).code).toBe(0);
  });

  it('scan asks for at most SCAN_PAGE_ITEMS items a page, however small they are', async () => {
    const many = 'scan-limit-test';
    await createScratchTable(dynamo, many);
    await putItems(dynamo, many, Array.from({ length: SCAN_PAGE_ITEMS + 1 }, (_, i) => ({ pk: `item-${i}` })));
    const result = await run(REFERENCE_SCRIPTS.scan, ['--table', many]);
    expect(result.code, result.stderr).toBe(0);
    // One page would hold them all (about 20 KB): the second page is the Limit's.
    expect(result.stdout.at(-1)).toBe(`scanned ${SCAN_PAGE_ITEMS + 1} items from ${many} in 2 pages`);
    expect(new Set(result.stdout.slice(0, -1)).size).toBe(SCAN_PAGE_ITEMS + 1);
    expect((await run(REFERENCE_SCRIPTS.drop, [many])).code).toBe(0);
  });

  it('list-tables prints every table name, across ListTables pages', async () => {
    const result = await run(REFERENCE_SCRIPTS['list-tables']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toEqual(await tableNames());
    expect(result.stdout).toContain(TABLE);
    const paged = await listAllTableNames((input) => dynamo.send(new ListTablesCommand(input)), 1);
    expect(paged).toEqual(result.stdout);
  });

  it('drop deletes the table, then reports a missing one with exit 1', async () => {
    const result = await run(REFERENCE_SCRIPTS.drop, [TABLE]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toEqual([`deleted table ${TABLE}`]);
    expect(await tableNames()).not.toContain(TABLE);

    const again = await run(REFERENCE_SCRIPTS.drop, [TABLE]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/table cruddur-messages does not exist on DynamoDB at .*; nothing was deleted/);
  });

  it('seed and scan name the missing table and the step that creates it', async () => {
    for (const script of [REFERENCE_SCRIPTS.seed, REFERENCE_SCRIPTS.scan]) {
      const result = await run(script);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/Table cruddur-messages does not exist on DynamoDB at .*Create it first with npm run ddb:schema-load/);
    }
  });

  it('scripts say when DynamoDB cannot be reached', async () => {
    const result = await run(REFERENCE_SCRIPTS['list-tables'], [], { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/ListTables could not reach DynamoDB at http:\/\/127\.0\.0\.1:9 \(AWS_ENDPOINT_URL_DYNAMODB\)/);
  });
});
