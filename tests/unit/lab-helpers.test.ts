import { describe, expect, it } from 'vitest';
import { mentionsName, nearMisses } from '../../src/labkit/ddb-observe.ts';
import { lastLines, trimOutput } from '../../src/labkit/trim.ts';
import { isIsoTimestamp, isUuid, splitItems } from '../../labs/week-05/03-seed/seed-shape.ts';
import { markerItems, markersIn } from '../../labs/week-05/04-scan/markers.ts';

describe('table name checks', () => {
  it('finds the typos learners made, not unrelated tables', () => {
    const names = ['cruddur-message', 'crudder-messages', 'cruddr-messages', 'cruddur_messages', 'cruddur-messages', 'users', 'cruddur-labs-1a2b'];
    expect(nearMisses(names, 'cruddur-messages')).toEqual(['cruddur-message', 'crudder-messages', 'cruddr-messages', 'cruddur_messages']);
  });

  it('matches a table name only as a whole token', () => {
    expect(mentionsName('|  cruddur-messages  |', 'cruddur-messages')).toBe(true);
    expect(mentionsName('["cruddur-messages"]', 'cruddur-messages')).toBe(true);
    expect(mentionsName('cruddur-messages-old', 'cruddur-messages')).toBe(false);
    expect(mentionsName('my-cruddur-messages', 'cruddur-messages')).toBe(false);
  });
});

describe('seed shapes', () => {
  it('recognises uuids and the ISO-8601 times Python and JS print', () => {
    expect(isUuid('3f1c2a9e-8b7d-4c6e-9a1b-2c3d4e5f6a7b')).toBe(true);
    expect(isUuid('MOCK')).toBe(false);
    for (const t of ['2026-11-24T10:00:00.123456+00:00', '2026-11-24T10:00:00Z', '2026-11-24T10:00:00.123Z', '2026-11-24 10:00:00']) expect(isIsoTimestamp(t)).toBe(true);
    for (const t of ['yesterday', '24/11/2026', '', 1732442400]) expect(isIsoTimestamp(t)).toBe(false);
  });

  it('splits group and message items and sorts them by time', () => {
    const { groups, messages } = splitItems([
      { pk: 'MSG#g', sk: '2026-01-02T00:00:00Z' },
      { pk: 'GRP#u', sk: '2026-01-03T00:00:00Z' },
      { pk: 'MSG#g', sk: '2026-01-01T00:00:00Z' },
    ]);
    expect(groups).toHaveLength(1);
    expect(messages.map((m) => m.sk)).toEqual(['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z']);
  });
});

describe('scan markers', () => {
  it('counts each distinct marker of this run once', () => {
    const items = markerItems('abc123', 0, 3, 300);
    const printed = items.map((i) => JSON.stringify(i)).join('\n') + `\n${items[0]?.message}`;
    expect(markersIn(printed, 'abc123')).toEqual(new Set([0, 1, 2]));
    expect(markersIn(printed, 'other')).toEqual(new Set());
    expect(items[0]?.message?.length).toBe(300);
  });
});

describe('output trimming', () => {
  it('keeps head and tail and says how much was left out', () => {
    const text = 'a'.repeat(50) + 'b'.repeat(50);
    expect(trimOutput(text, 20)).toMatch(/^a{10}\n… \[80 characters left out\] …\nb{10}$/);
    expect(trimOutput('short', 20)).toBe('short');
    expect(lastLines('1\n\n2\n3\n', 2)).toBe('2\n3');
  });
});
