import { describe, expect, it } from 'vitest';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';
import { renderJournal, type EvidenceView, type WeekJournal } from '../../../src/journal/index.ts';
import { runResults, taskResult } from '../../fixtures/results.ts';
import { tableWithHeader, view } from './markdown-view.ts';

// A week the journal code was not written for, declaring one evidence key of each kind with its own words.
const EVIDENCE: Record<string, EvidenceView> = {
  bucket: { kind: 'fields', title: 'Bucket settings' },
  uploads: {
    kind: 'rows',
    title: 'Uploaded objects',
    columns: [
      { key: 'key', header: 'Object', code: true },
      { key: 'size', header: 'Bytes', numeric: true },
      { key: 'type', header: 'Content type' },
    ],
  },
  functions: { kind: 'names', title: 'Lambda functions' },
  store: { kind: 'dynamodb-table' },
  processed: { kind: 'part-of', title: 'Resize coverage', lead: 'the function resized', part: 'resized', whole: 'uploaded', noun: 'images' },
  objects: {
    kind: 'breakdown',
    title: 'Objects by prefix',
    total: 'all',
    headers: ['Prefix', 'Key shape', 'Objects'],
    parts: [
      { key: 'originals', label: 'Originals', note: 'original/<name>' },
      { key: 'thumbs', label: 'Thumbnails', note: 'thumb/<name>' },
    ],
    rest: 'Other objects',
    all: 'All objects',
  },
};
const WEEK08: WeekJournal = { name: 'week08', title: 'Week 08 journal: images', assetsDir: 'assets', evidence: EVIDENCE };
const TITLES = ['Bucket settings', 'Uploaded objects', 'Lambda functions', 'Table', 'Resize coverage', 'Objects by prefix'];

const VALUES: Record<string, unknown> = {
  bucket: { name: 'assets-bucket', versioning: false },
  uploads: [
    { key: 'original/cat.png', size: 2048, type: 'image/png' },
    { key: 'original/dog.jpg', size: 512, type: 'image/jpeg' },
  ],
  functions: ['process-images', 'thumbnails'],
  store: {
    name: 'image-store',
    status: 'ACTIVE',
    keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    attributes: { id: 'S' },
    billingMode: 'PAY_PER_REQUEST',
    indexes: [],
  },
  processed: { resized: 3, uploaded: 4 },
  objects: { all: 7, originals: 2, thumbs: 4 },
};

const render = (evidence: Record<string, unknown>, journal: WeekJournal = WEEK08) =>
  renderJournal(runResults([taskResult('01-upload/1', { evidence })], { titles: { '01-upload': 'Upload images' } }), { journal });
const count = (md: string, text: string) => md.split(text).length - 1;
const jsonBlock = (key: string, value: unknown) => `**${key}**:\n\n\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;

describe("a week's evidence views, as its manifest declares them", () => {
  it('shows each declared key with its kind and its titles, once, and nothing of week 05', () => {
    expect(new Set(Object.values(EVIDENCE).map((v) => v.kind)).size).toBe(6);
    const md = render(VALUES);
    for (const title of TITLES) expect(count(md, `**${title}**`)).toBe(1);
    const v = view(md);
    expect(tableWithHeader(v, ['Field', 'Value'])).toEqual([['Field', 'Value'], ['name', 'assets-bucket'], ['versioning', 'false']]);
    expect(tableWithHeader(v, ['Object', 'Bytes', 'Content type'])).toEqual([
      ['Object', 'Bytes', 'Content type'],
      ['original/cat.png', '2048', 'image/png'],
      ['original/dog.jpg', '512', 'image/jpeg'],
    ]);
    // `code` makes a code span of the cell, `numeric` right-aligns the column.
    expect(md).toContain('| Object | Bytes | Content type |\n| --- | ---: | --- |\n| `original/cat.png` | 2048 | image/png |');
    expect(md).toContain('**Lambda functions** (2):\n\n- `process-images`\n- `thumbnails`');
    expect(md).toContain('**Table** `image-store`, status ACTIVE.');
    expect(md).toContain('**Resize coverage**: the function resized **3 of 4** images.');
    expect(tableWithHeader(v, ['Prefix', 'Key shape', 'Objects'])).toEqual([
      ['Prefix', 'Key shape', 'Objects'],
      ['Originals', 'original/<name>', '2'],
      ['Thumbnails', 'thumb/<name>', '4'],
      ['Other objects', '', '1'],
      ['All objects', '', '7'],
    ]);
    expect(md).toContain('| Prefix | Key shape | Objects |\n| --- | --- | ---: |\n| Originals | `original/<name>` | 2 |');
    expect(v.fences.filter((f) => f.info === 'json')).toEqual([]);
    expect(md).not.toMatch(/week ?05|Scan coverage|Items by entity|GRP#|MSG#|Users in Postgres|first messages|Tables the page listed|table page served|Columns of/i);
  });

  it('leaves out the rest row when the parts add up, and shortens long lists', () => {
    const md = render({
      objects: { all: 6, originals: 2, thumbs: 4 },
      uploads: Array.from({ length: 23 }, (_, i) => ({ key: `k${i}`, size: i, type: 't' })),
      functions: Array.from({ length: 21 }, (_, i) => `f${i}`),
    });
    expect(md).not.toContain('Other objects');
    expect(md).toContain('| All objects |   | 6 |');
    expect(md).toContain('| `k19` | 19 | t |\n\n_3 more not shown._');
    expect(md).not.toContain('k20');
    expect(md).toContain('**Lambda functions** (21):');
    expect(md).toContain('- `f19`\n- _and 1 more_');
    expect(render({ uploads: [], functions: [] })).toContain('**Uploaded objects**: none.\n\n**Lambda functions**: none.');
  });

  it('shows a key the manifest does not declare as JSON, under its own name', () => {
    const coverage = { printed: 3, total: 5 };
    const md = render({ ...VALUES, coverage, tables: ['a'] });
    expect(md).toContain(jsonBlock('coverage', coverage));
    expect(md).toContain(jsonBlock('tables', ['a']));
    expect(md).not.toMatch(/Scan coverage|\*\*Tables\*\*/);
    // The same evidence under week 05's manifest uses week 05's views.
    expect(render({ coverage }, WEEK05_JOURNAL)).toContain('**Scan coverage**: the scan printed **3 of 5** items.');
  });

  const malformed: Array<[string, unknown]> = [
    ['bucket', 'not an object'],
    ['uploads', [1, 2]],
    ['functions', ['ok', 3]],
    ['store', { name: 'image-store', keySchema: 'id' }],
    ['processed', { resized: '3', uploaded: 4 }],
    ['objects', { all: 7, originals: 2 }],
  ];
  it.each(malformed)('shows a declared key %s whose value has another shape as JSON, not as its view', (key, value) => {
    const md = render({ [key]: value });
    expect(md).toContain(jsonBlock(key, value));
    for (const title of TITLES) expect(md).not.toContain(`**${title}**`);
  });

  it('shows the declared keys in the order of the declaration, after the services and before undeclared keys', () => {
    const evidence = { zzz: 1, ...Object.fromEntries(Object.entries(VALUES).reverse()), dynamodb: { endpoint: 'http://127.0.0.1:8000' } };
    const order = (md: string, titles: string[]) => titles.map((t) => md.indexOf(`**${t}**`));
    const forward = order(render(evidence), ['DynamoDB Local', ...TITLES, 'zzz']);
    expect(forward.every((at, i) => at > (forward[i - 1] ?? -1))).toBe(true);
    const reversed = { ...WEEK08, evidence: Object.fromEntries(Object.entries(EVIDENCE).reverse()) };
    const backward = order(render(evidence, reversed), ['DynamoDB Local', ...[...TITLES].reverse(), 'zzz']);
    expect(backward.every((at, i) => at > (backward[i - 1] ?? -1))).toBe(true);
  });

  it('week 05 declares its nine keys in the order of its labs', () => {
    expect(Object.keys(WEEK05_JOURNAL.evidence ?? {})).toEqual(['usersColumns', 'table', 'users', 'counts', 'firstMessages', 'coverage', 'listed', 'served', 'tables']);
  });
});
