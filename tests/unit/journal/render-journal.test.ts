import { describe, expect, it } from 'vitest';
import { renderJournal, screenshotFromResults } from '../../../src/journal/render-journal.ts';
import { failingWeekRun, HOSTILE, hostileRun, passingWeekRun, runResults, taskResult } from '../../fixtures/results.ts';
import { tableWithHeader, view } from './markdown-view.ts';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';

const JOURNAL = { journal: WEEK05_JOURNAL };

/** The markdown between a heading and the next heading of the same or a higher level. */
function section(md: string, heading: string): string {
  const start = md.indexOf(`${heading}\n`);
  if (start === -1) return '';
  const level = /^#+/.exec(heading)?.[0] ?? '##';
  const rest = md.slice(start + heading.length);
  const next = rest.search(new RegExp(`\\n#{1,${level.length}} `));
  return heading + (next === -1 ? rest : rest.slice(0, next));
}

describe('renderJournal', () => {
  it('starts with the title, the date and the result, then a summary table linking each lab', () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    const v = view(md);
    expect(md.split('\n')[0]).toBe('# Week 05 journal: DynamoDB');
    expect(md).toContain('Date: **2026-11-25**');
    expect(md).toContain('Result: **12 / 12 points**: every task passed. 9 of 9 tasks passed, 0 failed, 0 could not be verified.');
    expect(tableWithHeader(v, ['Lab', 'Title', 'Status', 'Points'])).toEqual([
      ['Lab', 'Title', 'Status', 'Points'],
      ['01-dynamodb-local', 'Run DynamoDB Local and Postgres', 'passed', '1 / 1'],
      ['02-create-table', 'Create the cruddur-messages table (schema-load)', 'passed', '4 / 4'],
      ['03-seed', 'Seed a conversation from Postgres users (seed)', 'passed', '2 / 2'],
      ['04-scan', 'Print every item of the table (scan)', 'passed', '1 / 1'],
      ['05-list-tables', 'List the tables (list-tables)', 'passed', '1 / 1'],
      ['06-admin-ui', 'Look at the table in DynamoDB Admin (dynamodb-admin)', 'passed', '3 / 3'],
    ]);
    // Every summary link points at its lab's heading.
    const ids = new Set(v.headings.map((h) => h.id));
    const anchors = v.links.filter((l) => l.startsWith('#'));
    expect(anchors).toHaveLength(6);
    for (const anchor of anchors) expect(ids).toContain(anchor.slice(1));
    expect(anchors[1]).toBe('#lab-02-create-table-create-the-cruddur-messages-table-schema-load');
  });

  it('says in the environment whether learner code ran in a sandbox, and why not', () => {
    const base = passingWeekRun();
    const boxed = renderJournal({ ...base, environment: { ...base.environment, sandbox: { mode: 'namespaces', detail: 'bubblewrap 0.8.0: uid 61000' } } }, JOURNAL);
    expect(section(boxed, '## Environment')).toMatch(/\| Sandbox \| namespaces \(bubblewrap 0\.8\.0: uid 61000\) \|/);
    const open = renderJournal({ ...base, environment: { ...base.environment, sandbox: { mode: 'none', reason: 'turned off with LAB_SANDBOX=none' } } }, JOURNAL);
    expect(section(open, '## Environment')).toMatch(/\| Sandbox \| none: turned off with LAB\\?_SANDBOX=none \|/);
    expect(section(renderJournal(base, JOURNAL), '## Environment')).not.toMatch(/Sandbox/);
  });

  it('gives every lab its sections, and ends with the environment', () => {
    const v = view(renderJournal(passingWeekRun(), JOURNAL));
    const h2 = v.headings.filter((h) => h.level === 2).map((h) => h.text);
    expect(h2).toEqual([
      'Summary',
      'Lab 01-dynamodb-local: Run DynamoDB Local and Postgres',
      'Lab 02-create-table: Create the cruddur-messages table (schema-load)',
      'Lab 03-seed: Seed a conversation from Postgres users (seed)',
      'Lab 04-scan: Print every item of the table (scan)',
      'Lab 05-list-tables: List the tables (list-tables)',
      'Lab 06-admin-ui: Look at the table in DynamoDB Admin (dynamodb-admin)',
      'Environment',
    ]);
    expect(v.headings.filter((h) => h.text === 'What was verified')).toHaveLength(6);
    expect(v.headings.filter((h) => h.text === 'Evidence')).toHaveLength(6);
  });

  it('lists what was verified, task by task, with status, points and message', () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    const verified = section(section(md, '## Lab 02-create-table: Create the cruddur-messages table (schema-load)'), '### What was verified');
    expect(verified).toContain('- **Task 1: Task 02-create-table/1**: passed (2 / 2 points).\\\n  `npm run ddb:schema-load` created `cruddur-messages`');
    expect(verified).toContain('- **Task 2: Task 02-create-table/2**: passed (2 / 2 points).');
  });

  it('shows each command with its output in a fenced block', () => {
    const v = view(renderJournal(passingWeekRun(), JOURNAL));
    expect(v.fences).toContainEqual({
      info: 'console',
      markup: '```',
      content: '$ npm run ddb:schema-load\ncreated table cruddur-messages ACTIVE: pk HASH S, sk RANGE S\n',
    });
    expect(v.text).toContain('Command schema-load (exit code 0, 36 ms):');
  });

  it("tables lab 02's key schema, attributes, billing and GSIs", () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    const v = view(section(md, '## Lab 02-create-table: Create the cruddur-messages table (schema-load)'));
    expect(tableWithHeader(v, ['Attribute', 'Key', 'Type'])).toEqual([
      ['Attribute', 'Key', 'Type'],
      ['pk', 'partition (HASH)', 'S'],
      ['sk', 'sort (RANGE)', 'S'],
    ]);
    expect(tableWithHeader(v, ['Attribute', 'Type'])).toEqual([
      ['Attribute', 'Type'],
      ['pk', 'S'],
      ['sk', 'S'],
      ['message_group_uuid', 'S'],
    ]);
    expect(tableWithHeader(v, ['Index', 'Partition key', 'Sort key', 'Projection'])).toEqual([
      ['Index', 'Partition key', 'Sort key', 'Projection'],
      ['message-group-sk-index', 'message_group_uuid', 'sk', 'ALL'],
    ]);
    expect(v.text).toContain('Billing: PROVISIONED, 5 read / 5 write capacity units.');
  });

  it("counts lab 03's items by entity and shows the first messages", () => {
    const v = view(section(renderJournal(passingWeekRun(), JOURNAL), '## Lab 03-seed: Seed a conversation from Postgres users (seed)'));
    expect(tableWithHeader(v, ['Entity', 'Partition key', 'Items'])).toEqual([
      ['Entity', 'Partition key', 'Items'],
      ['Message groups', 'GRP#<user uuid>', '2'],
      ['Messages', 'MSG#<message_group_uuid>', '104'],
      ['All items', '', '106'],
    ]);
    expect(tableWithHeader(v, ['Time (sk)', 'From', 'Message'])).toEqual([
      ['Time (sk)', 'From', 'Message'],
      ['2026-11-24T12:14:04.666Z', 'andrewbrown', 'Hey, did you ever finish that Babylon 5 rewatch?'],
      ['2026-11-24T12:15:04.666Z', 'bayko', 'Finally did!'],
    ]);
  });

  it("states lab 04's scan coverage and lab 05's tables", () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    expect(section(md, '## Lab 04-scan: Print every item of the table (scan)')).toContain('**Scan coverage**: the scan printed **30 of 30** items.');
    const tables = section(md, '## Lab 05-list-tables: List the tables (list-tables)');
    expect(tables).toContain('**Tables** (2):\n\n- `cruddur-labs-01c83d42`\n- `cruddur-messages`');
  });

  it('shows the screenshot of lab 06 from its evidence, under the assets directory', () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    const v = view(md);
    expect(v.images).toEqual(['assets/week05/06-admin-ui.png']);
    const shot = section(md, '### Screenshot');
    expect(shot).toContain('![DynamoDB Admin showing the items of cruddur-messages](assets/week05/06-admin-ui.png)');
    expect(shot).toContain('_1280×800 PNG, 114 KB, taken with Chromium 156.0.8078.108, of /tables/cruddur-messages_');
    expect(view(renderJournal(passingWeekRun(), { journal: { ...WEEK05_JOURNAL, assetsDir: 'img/' } })).images).toEqual(['img/06-admin-ui.png']);
    expect(tableWithHeader(view(section(md, '## Lab 06-admin-ui: Look at the table in DynamoDB Admin (dynamodb-admin)')), ['Table', 'Items'])).toEqual([
      ['Table', 'Items'],
      ['cruddur-messages', '106'],
    ]);
  });

  it('describes the environment: backend and why others were passed over, versions, node, date, submission', () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    const env = section(md, '## Environment');
    expect(tableWithHeader(view(env), ['What', 'Value'])).toEqual([
      ['What', 'Value'],
      ['Backend', 'embedded'],
      ['DynamoDB Local', '3.3.0 at http://127.0.0.1:38147'],
      ['Postgres', '18.4 on port 46841'],
      ['Node', 'v20.20.2 on linux-x64'],
      ['Date', '2026-11-25 12:13:36 UTC, 91 s'],
      ['Submission', 'the reference solution'],
      ['DynamoDB Admin', '5.3.3'],
      ['Browser for the screenshot', 'Chromium 156.0.8078.108'],
    ]);
    expect(env).toContain('- `containers`: no Docker engine answered at /var/run/docker.sock');
    expect(md.trimEnd().endsWith(env.trimEnd())).toBe(true);
  });

  it('gives failures their hint and marks tasks that could not be verified as not counting', () => {
    const md = renderJournal(failingWeekRun(), JOURNAL);
    expect(md).toContain('Result: **5 / 8 points**: some work could not be verified, which does not count against you. 4 of 6 tasks passed, 1 failed, 1 could not be verified.');
    const scan = section(md, '## Lab 04-scan: Print every item of the table (scan)');
    expect(scan).toContain('Status: **failed**, 1 / 3 points.');
    expect(scan).toContain('- **Task 2: Task 04-scan/2**: failed (0 / 2 points).\\\n  `./bin/ddb/scan` printed 412 of 1030 items.');
    expect(scan).toContain("\\\n  Hint: Call scan again with ExclusiveStartKey=response\\['LastEvaluatedKey'\\] until there is no LastEvaluatedKey.");
    expect(scan).toContain('the scan printed **412 of 1030** items');
    const admin = section(md, '## Lab 06-admin-ui: Look at the table in DynamoDB Admin (dynamodb-admin)');
    expect(admin).toContain('Status: **could not verify** (does not count against you), 2 / 3 points.');
    expect(admin).toContain('- **Task 3: Task 06-admin-ui/3**: could not verify (does not count against you).');
    expect(admin).not.toMatch(/06-admin-ui\/3\*\*: could not verify[^\n]*\n[^\n]*Hint/);
    expect(view(md).tables[0]?.slice(1).map((row) => row[2])).toEqual(['passed', 'failed', 'could not verify']);
  });

  it('says why there is no screenshot instead of showing one', () => {
    const md = renderJournal(failingWeekRun(), JOURNAL);
    const v = view(md);
    expect(v.images).toEqual([]);
    expect(section(md, '### Screenshot')).toContain(
      '**No screenshot**: No screenshot of DynamoDB Admin: no Chromium was found (looked for /usr/bin/chromium). Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`).',
    );
    // The writer may know better (the file is gone): its reason wins.
    const told = renderJournal(passingWeekRun(), { ...JOURNAL, screenshot: { missingReason: 'The file was deleted.' } });
    expect(view(told).images).toEqual([]);
    expect(told).toContain('**No screenshot**: The file was deleted.');
  });

  it('names the learner repository and its commit', () => {
    const v = view(section(renderJournal(failingWeekRun(), JOURNAL), '## Environment'));
    expect(tableWithHeader(v, ['What', 'Value'])).toContainEqual(['Submission', 'repository /home/alice/cruddur at commit abc1234']);
  });

  it('reports a run that broke before any task', () => {
    const md = renderJournal(runResults([], { status: 'error', services: null, message: 'Java is not installed.' }), JOURNAL);
    expect(md).toContain('**The run could not be verified**, which does not count against you:\\\nJava is not installed.');
    expect(md).toContain('_No lab results were recorded._');
    expect(md).toContain('Why no services ran: Java is not installed.');
  });
});

describe('renderJournal on hostile text', () => {
  const md = renderJournal(hostileRun(), JOURNAL);
  const v = view(md);

  it('keeps every table cell intact: pipes, backticks and markup stay inside their cell as text', () => {
    const messages = tableWithHeader(v, ['Time (sk)', 'From', 'Message']);
    expect(messages).toHaveLength(2);
    expect(messages?.[1]).toHaveLength(3);
    expect(messages?.[1]?.[0]).toBe('2026|11');
    expect(messages?.[1]?.[1]).toBe('<b>bayko</b>');
    expect(messages?.[1]?.[2]).toContain('Hi | there second line');
    expect(messages?.[1]?.[2]).toContain('<script>x</script>');
    const attributes = tableWithHeader(v, ['Attribute', 'Type']);
    expect(attributes?.slice(1)).toEqual([
      ['a|b', 'S'],
      ['<x>', 'N'],
    ]);
    for (const table of v.tables) for (const row of table) expect(row).toHaveLength(table[0]?.length ?? 0);
  });

  it('puts output in a fence longer than any backtick run in it, so nothing breaks out', () => {
    const fence = v.fences.find((f) => f.content.startsWith('$ python3'));
    expect(fence?.markup).toBe('`'.repeat(8));
    expect(fence?.content).toBe('$ python3 -c "print(`|`)" | cat\nline 1\n```````\nstill inside\n```\n<script>alert(1)</script>\n| a | b |\n');
  });

  it('shows messages and hints literally: no HTML, links, images, headings or lists come from them', () => {
    expect(v.images).toEqual([]);
    expect(v.links.every((href) => href.startsWith('#'))).toBe(true);
    expect(v.headings.map((h) => h.text)).not.toContain('not a heading');
    expect(v.tokens.some((t) => t.type === 'html_block' || t.type === 'html_inline')).toBe(false);
    expect(v.tokens.filter((t) => t.type === 'fence').every((f) => f.content.startsWith('$ '))).toBe(true);
    expect(v.text).toContain('<script>alert("x")</script> <img src=x onerror=alert(1)>');
    expect(v.text).toContain('- not a list');
    expect(v.text).toContain('# not a heading');
    expect(v.text).toContain('[link](javascript:alert(1)) ![img](http://evil.example/x.png) $x^2$ *em* _em_');
    expect(md).toContain('\\$x^2\\$'); // GitHub would typeset $...$ as math
  });

  it('keeps a hostile task name inside its heading and list item', () => {
    expect(v.headings.map((h) => h.text)).toContain('Task 1: Name | with <b>pipe</b>');
    expect(md).toContain('- **Task 1: Name \\| with &lt;b&gt;pipe&lt;/b&gt;**: failed');
  });

  it('marks the errored task as not counting, and shows the hostile hint of the failed one line by line', () => {
    expect(v.text).toContain('Task 2: Task 03-seed/2: could not verify (does not count against you).\nService broke:\nTable | with pipes');
    for (const line of HOSTILE.split('\n')) expect(v.text).toContain(line.replace(/`code \| span`/, 'code | span'));
  });
});

describe('screenshotFromResults', () => {
  it('is undefined without lab 06, a reason when task 3 did not pass, the file when it did', () => {
    expect(screenshotFromResults(runResults([taskResult('01-dynamodb-local/1')]), WEEK05_JOURNAL)).toBeUndefined();
    expect(screenshotFromResults(runResults([taskResult('06-admin-ui/1')]), WEEK05_JOURNAL)).toEqual({ missingReason: 'Task 06-admin-ui/3 did not run.' });
    expect(screenshotFromResults(failingWeekRun(), WEEK05_JOURNAL)).toMatchObject({ missingReason: expect.stringContaining('no Chromium was found') });
    expect(screenshotFromResults(passingWeekRun(), WEEK05_JOURNAL)).toMatchObject({ file: 'assets/week05/06-admin-ui.png', width: 1280, height: 800 });
  });
});
