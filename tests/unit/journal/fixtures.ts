import { deflateSync, crc32 } from 'node:zlib';
import { overallStatus, RESULTS_VERSION, summarizeLabs, type RunResults, type TaskResult } from '../../../src/results/model.ts';
import type { ServiceFacts } from '../../../src/services/types.ts';

export const TITLES: Record<string, string> = {
  '01-dynamodb-local': 'Run DynamoDB Local and Postgres',
  '02-create-table': 'Create the cruddur-messages table (schema-load)',
  '03-seed': 'Seed a conversation from Postgres users (seed)',
  '04-scan': 'Print every item of the table (scan)',
  '05-list-tables': 'List the tables (list-tables)',
  '06-admin-ui': 'Look at the table in DynamoDB Admin (dynamodb-admin)',
};

/** A task with defaults; the status decides the score unless given. */
export function task(taskId: string, overrides: Partial<TaskResult> = {}): TaskResult {
  const [lab = 'unknown'] = taskId.split('/');
  const status = overrides.status ?? 'pass';
  const max = overrides.max_score ?? 1;
  return {
    task_id: taskId,
    lab,
    name: `Task ${taskId}`,
    status,
    score: status === 'pass' ? max : 0,
    max_score: max,
    message: status === 'pass' ? `Verified ${taskId}.` : `Problem in ${taskId}.`,
    output: '',
    duration_ms: 100,
    ...overrides,
  };
}

const SERVICES: ServiceFacts = {
  backend: 'embedded',
  passedOver: [{ backend: 'containers', reason: 'no Docker engine answered at /var/run/docker.sock' }],
  owned: true,
  startedInMs: 2400,
  dynamodb: { endpoint: 'http://127.0.0.1:38147', port: 38147, version: '3.3.0' },
  postgres: { url: 'postgresql://postgres:password@127.0.0.1:46841/cruddur', host: '127.0.0.1', port: 46841, user: 'postgres', password: 'password', database: 'cruddur', version: '18.4' },
};

export function run(tests: TaskResult[], overrides: Partial<RunResults> = {}): RunResults {
  return {
    version: RESULTS_VERSION,
    status: overallStatus(tests.map((t) => t.status)),
    score: tests.reduce((sum, t) => sum + t.score, 0),
    max_score: tests.reduce((sum, t) => sum + t.max_score, 0),
    started_at: '2026-11-25T12:13:36.190Z',
    finished_at: '2026-11-25T12:14:05.634Z',
    backend: 'embedded',
    services: SERVICES,
    submission: { kind: 'reference' },
    environment: { node: 'v20.20.2', platform: 'linux-x64' },
    labs: summarizeLabs(tests, TITLES),
    tests,
    ...overrides,
  };
}

const schemaLoadStep = {
  step: 'schema-load',
  command: 'npm run ddb:schema-load',
  exitCode: 0,
  durationMs: 36,
  timedOut: false,
  output: 'created table cruddur-messages ACTIVE: pk HASH S, sk RANGE S\n',
};

export const TABLE_EVIDENCE = {
  name: 'cruddur-messages',
  status: 'ACTIVE',
  keySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  attributes: { pk: 'S', sk: 'S', message_group_uuid: 'S' },
  billingMode: 'PROVISIONED',
  provisioned: { read: 5, write: 5 },
  indexes: [
    {
      name: 'message-group-sk-index',
      keySchema: [
        { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      projection: 'ALL',
    },
  ],
};

export const SCREENSHOT_EVIDENCE = {
  path: 'journal/assets/week05/06-admin-ui.png',
  width: 1280,
  height: 800,
  bytes: 116_619,
  url: '/tables/cruddur-messages',
  browser: 'Chromium 156.0.8078.108',
};

/** Every lab passes, with the evidence the real labs record. */
export function allPass(): RunResults {
  return run([
    task('01-dynamodb-local/1', { evidence: { dynamodb: { endpoint: 'http://127.0.0.1:38147', version: '3.3.0', backend: 'embedded' }, tables: [] } }),
    task('02-create-table/1', { max_score: 2, message: '`npm run ddb:schema-load` created `cruddur-messages`', evidence: { steps: [schemaLoadStep], tables: ['cruddur-messages'] } }),
    task('02-create-table/2', { max_score: 2, evidence: { table: TABLE_EVIDENCE } }),
    task('03-seed/1', {
      max_score: 2,
      evidence: {
        steps: [{ ...schemaLoadStep, step: 'seed', command: 'npm run ddb:seed', output: 'seeded 106 items into cruddur-messages\n' }],
        counts: { items: 106, groups: 2, messages: 104 },
        firstMessages: [
          { sk: '2026-11-24T12:14:04.666Z', user_handle: 'andrewbrown', message: 'Hey, did you ever finish that Babylon 5 rewatch?' },
          { sk: '2026-11-24T12:15:04.666Z', user_handle: 'bayko', message: 'Finally did!' },
        ],
      },
    }),
    task('04-scan/1', { evidence: { steps: [{ ...schemaLoadStep, step: 'scan', command: 'npm run ddb:scan', output: '{"pk":"MSG#1"}\n' }], coverage: { printed: 30, total: 30 } } }),
    task('05-list-tables/1', { evidence: { steps: [{ ...schemaLoadStep, step: 'list-tables', command: 'npm run ddb:list-tables', output: 'cruddur-messages\n' }], tables: ['cruddur-labs-01c83d42', 'cruddur-messages'] } }),
    task('06-admin-ui/1', {
      evidence: {
        adminUi: { command: 'DYNAMO_ENDPOINT=http://127.0.0.1:38147 dynamodb-admin --host 127.0.0.1 --port 45529', url: 'http://127.0.0.1:45529/', version: '5.3.3', log: 'dynamodb-admin listening on http://127.0.0.1:45529' },
        listed: [{ name: 'cruddur-messages', itemCount: 106 }],
      },
    }),
    task('06-admin-ui/2', { evidence: { served: { itemCountShown: 106, itemsServed: 106, pages: 5 } } }),
    task('06-admin-ui/3', { evidence: { screenshot: SCREENSHOT_EVIDENCE } }),
  ]);
}

/** A learner's repository where the scan stops after one page, and lab 06 could not take its screenshot. */
export function someFailOneError(): RunResults {
  return run(
    [
      task('02-create-table/1', { max_score: 2, evidence: { steps: [schemaLoadStep] } }),
      task('04-scan/1', { evidence: { coverage: { printed: 30, total: 30 } } }),
      task('04-scan/2', {
        status: 'fail',
        max_score: 2,
        message: '`./bin/ddb/scan` printed 412 of 1030 items. One Scan call returns at most 1 MB of items: follow LastEvaluatedKey until it is absent. See labs/week-05/04-scan/README.md#task-2.',
        hint: "Call scan again with ExclusiveStartKey=response['LastEvaluatedKey'] until there is no LastEvaluatedKey.",
        evidence: { coverage: { printed: 412, total: 1030 } },
      }),
      task('06-admin-ui/1'),
      task('06-admin-ui/2'),
      task('06-admin-ui/3', {
        status: 'error',
        message: 'No screenshot of DynamoDB Admin: no Chromium was found (looked for /usr/bin/chromium). Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`).',
      }),
    ],
    { submission: { kind: 'repository', path: '/home/alice/cruddur', commit: 'abc1234' } },
  );
}

export const HOSTILE = [
  'Table | with pipes || and `code | span`',
  '<script>alert("x")</script> <img src=x onerror=alert(1)>',
  '```',
  'closing fence above, ~~~ and ```` too',
  '- not a list',
  '# not a heading',
  '[link](javascript:alert(1)) ![img](http://evil.example/x.png) $x^2$ *em* _em_',
].join('\n');

/** Hostile text everywhere a learner (or a broken results file) can put it. */
export function hostile(): RunResults {
  const output = `line 1\n${'`'.repeat(7)}\nstill inside\n\`\`\`\n<script>alert(1)</script>\n| a | b |`;
  return run([
    task('02-create-table/1', {
      status: 'fail',
      name: 'Name | with <b>pipe</b>',
      message: HOSTILE,
      hint: HOSTILE,
      evidence: {
        steps: [{ step: 'schema-load', command: 'python3 -c "print(`|`)" | cat', exitCode: 1, durationMs: 5, timedOut: false, output }],
        table: { ...TABLE_EVIDENCE, name: 'cruddur|messages`', attributes: { 'a|b': 'S', '<x>': 'N' } },
      },
    }),
    task('03-seed/1', {
      status: 'fail',
      evidence: { firstMessages: [{ sk: '2026|11', user_handle: '<b>bayko</b>', message: 'Hi | there\nsecond line `tick` ``` <script>x</script>' }] },
    }),
    task('03-seed/2', { status: 'error', message: `Service broke:\n${HOSTILE}` }),
  ]);
}

/** A minimal valid PNG (RGB, 8 bits), built with zlib's own deflate and CRC-32. */
export function tinyPng(width: number, height: number, options: { crcOff?: boolean; extra?: Buffer; dataWidth?: number } = {}): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32(body) + (options.crcOff ? 1 : 0)) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const rowWidth = options.dataWidth ?? width;
  const raw = Buffer.alloc(height * (1 + rowWidth * 3), 0x7f);
  for (let y = 0; y < height; y++) raw[y * (1 + rowWidth * 3)] = 0; // filter type None
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
    options.extra ?? Buffer.alloc(0),
  ]);
}
