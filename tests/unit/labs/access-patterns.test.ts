import { describe, expect, it } from 'vitest';
import { COURSE_GROUP_UUID } from '../../../src/course/access-patterns.ts';
import { marker, markersIn, MARKER_KINDS, type FoundMarkers } from '../../../labs/week-05/07-access-patterns/markers.ts';
import { buildPatternPlan, newestIndices, THIS_YEAR_MESSAGES } from '../../../labs/week-05/07-access-patterns/pattern-data.ts';
import { conversationProblems, crashHint, groupsProblems, tableProblem } from '../../../labs/week-05/07-access-patterns/verdicts.ts';
import { pythonIsoTime, timesThisYear } from '../../../labs/week-05/07-access-patterns/year-window.ts';

const MINUTE_US = 60_000_000;

describe('timesThisYear', () => {
  it('starts a day ago, one minute apart, all in the past', () => {
    const now = new Date('2026-11-25T12:00:00Z');
    const times = timesThisYear(now, 30);
    expect(times).toHaveLength(30);
    expect(new Date((times[0] ?? 0) / 1000).toISOString()).toBe('2026-11-24T12:00:00.000Z');
    expect(times.every((t, i) => i === 0 || t - (times[i - 1] ?? 0) === MINUTE_US)).toBe(true);
    expect(times.at(-1)).toBeLessThan(now.getTime() * 1000);
  });

  it('on January 1st starts at midnight this year and compresses the spacing', () => {
    const now = new Date('2027-01-01T00:10:00Z');
    const times = timesThisYear(now, 30);
    expect(times[0]).toBe(Date.UTC(2027, 0, 1) * 1000);
    expect(times.at(-1)).toBeLessThan(now.getTime() * 1000);
    expect(new Set(times).size).toBe(30);
    expect(times.every((t) => pythonIsoTime(t).startsWith('2027'))).toBe(true);
  });

  it('keeps times distinct milliseconds after midnight, in microseconds', () => {
    const now = new Date('2027-01-01T00:00:00.003Z');
    const times = timesThisYear(now, 30);
    expect(new Set(times.map(pythonIsoTime)).size).toBe(30);
    expect(times.every((t) => t >= Date.UTC(2027, 0, 1) * 1000 && t < now.getTime() * 1000)).toBe(true);
    expect([...times.map(pythonIsoTime)].sort()).toEqual(times.map(pythonIsoTime));
  });

  it('refuses when not enough of the year has passed', () => {
    expect(() => timesThisYear(new Date('2027-01-01T00:00:00.000Z'), 30)).toThrow(/too few to date 30 messages/);
    expect(() => timesThisYear(new Date('2026-06-01T00:00:00Z'), 0)).toThrow(RangeError);
  });
});

describe('pythonIsoTime', () => {
  it('prints six fraction digits and +00:00, as Python isoformat() does', () => {
    expect(pythonIsoTime(Date.UTC(2026, 10, 24, 9, 5) * 1000)).toBe('2026-11-24T09:05:00.000000+00:00');
    expect(pythonIsoTime(Date.UTC(2026, 0, 1) * 1000 + 1_234_567)).toBe('2026-01-01T00:00:01.234567+00:00');
  });
});

describe('lab 07 markers', () => {
  it('fit in the 40 characters the course prints and are found by kind', () => {
    for (const kind of MARKER_KINDS) expect(marker('1a2b3c4d', kind, 29).length).toBeLessThanOrEqual(30);
    const text = `${marker('tok', 'msg-now', 29)} x\n${marker('tok', 'msg-now', 2)}\n${marker('tok', 'msg-other', 3)}... ${marker('old', 'msg-now', 1)}`;
    const found = markersIn(text, 'tok');
    expect(found['msg-now']).toEqual(new Set([29, 2]));
    expect(found['msg-other']).toEqual(new Set([3]));
    expect(found['msg-old'].size + found['group-now'].size + found['group-old'].size).toBe(0);
  });
});

const USERS = [
  { uuid: '11111111-1111-4111-8111-111111111111', handle: 'andrewbrown', display_name: 'Andrew Brown' },
  { uuid: '22222222-2222-4222-8222-222222222222', handle: 'bayko', display_name: 'Andrew Bayko' },
];
const NOW = new Date('2026-11-25T12:00:00Z');
let counter = 0;
const plan = buildPatternPlan({ users: USERS, now: NOW, token: 'tok', groupUuid: COURSE_GROUP_UUID, otherGroupUuid: 'other-group', newUuid: () => `uuid-${counter++}` });

function found(spec: Partial<Record<keyof FoundMarkers, number[]>>): FoundMarkers {
  const text = Object.entries(spec).flatMap(([kind, indices]) => indices.map((i) => marker('tok', kind as keyof FoundMarkers, i))).join('\n');
  return markersIn(text, 'tok');
}

describe('the lab 07 data', () => {
  it('dates 30 messages of the course group this year, older ones in earlier years, the other group last year', () => {
    const messages = plan.items.filter((i) => i.pk === `MSG#${COURSE_GROUP_UUID}`);
    const thisYear = messages.filter((i) => i.sk?.startsWith('2026'));
    expect(thisYear).toHaveLength(THIS_YEAR_MESSAGES);
    expect(thisYear.every((i) => Date.parse(i.sk ?? '') < NOW.getTime())).toBe(true);
    expect(messages.length - thisYear.length).toBe(plan.historyYears.length);
    expect(new Set(plan.historyYears)).toEqual(new Set([2021, 2022, 2023, 2024, 2025]));
    expect(plan.items.filter((i) => i.pk === 'MSG#other-group').every((i) => i.sk?.startsWith('2025'))).toBe(true);
    expect(new Set(plan.items.map((i) => `${i.pk}|${i.sk}`)).size).toBe(plan.items.length);
  });

  it('gives every user a group item per conversation, naming the other participant', () => {
    const groups = plan.items.filter((i) => i.pk?.startsWith('GRP#'));
    expect(groups).toHaveLength(4);
    const mine = groups.filter((g) => g.pk === `GRP#${USERS[0]?.uuid}`);
    expect(mine.map((g) => g.message_group_uuid).sort()).toEqual([COURSE_GROUP_UUID, 'other-group'].sort());
    expect(mine.every((g) => g.user_handle === 'bayko')).toBe(true);
    const newest = plan.items.filter((i) => i.pk === `MSG#${COURSE_GROUP_UUID}`).map((i) => i.sk ?? '').sort().at(-1);
    expect(mine.find((g) => g.message_group_uuid === COURSE_GROUP_UUID)?.sk).toBe(newest);
  });

  it('starts every text with its marker, within the first 30 characters', () => {
    for (const item of plan.items) expect(item.message?.slice(0, 30)).toMatch(/^lab07-tok-(msg|group)-(now|old|other)-\d+ /);
  });

  it('invents a partner when Postgres holds one user', () => {
    const single = buildPatternPlan({ users: USERS.slice(0, 1), now: NOW, token: 't', groupUuid: COURSE_GROUP_UUID });
    expect(single.items.filter((i) => i.pk?.startsWith('GRP#'))).toHaveLength(2);
    expect(new Set(single.items.filter((i) => i.pk?.startsWith('MSG#')).map((i) => i.user_handle))).toEqual(new Set(['andrewbrown', 'labpartner']));
  });
});

describe('get-conversation verdicts', () => {
  const newest = newestIndices(20);

  it('accepts exactly the newest 20 of this year', () => {
    expect(newest).toEqual(Array.from({ length: 20 }, (_, i) => i + 10));
    expect(conversationProblems(found({ 'msg-now': newest }), plan)).toEqual([]);
  });

  it("names a hard-coded year when only that year's messages were printed", () => {
    const problems = conversationProblems(found({ 'msg-old': [4, 5] }), plan);
    expect(problems).toEqual([expect.stringMatching(/only messages from 2023 and none from 2026: the year is hard-coded to '2023'/)]);
  });

  it('says when nothing at all was printed', () => {
    expect(conversationProblems(found({}), plan).join(' ')).toMatch(/printed none of the lab's messages.*year in begins_with/);
  });

  it('names ScanIndexForward for the oldest 20 and Limit for all 30', () => {
    expect(conversationProblems(found({ 'msg-now': [...Array(20).keys()] }), plan).join(' ')).toMatch(/ScanIndexForward=False/);
    expect(conversationProblems(found({ 'msg-now': [...Array(30).keys()] }), plan).join(' ')).toMatch(/not just the newest 20: set Limit=20/);
  });

  it('names the missing year condition and another group', () => {
    expect(conversationProblems(found({ 'msg-old': [0, 9], 'msg-now': [...Array(10).keys()] }), plan).join(' ')).toMatch(
      /from earlier years \(2021, 2025\).*begins_with.*OLDEST 20/,
    );
    expect(conversationProblems(found({ 'msg-now': newest, 'msg-other': [1] }), plan).join(' ')).toMatch(/another group/);
  });
});

describe('list-conversations verdicts', () => {
  it("accepts this year's group and rejects last year's", () => {
    expect(groupsProblems(found({ 'group-now': [0] }), plan)).toEqual([]);
    expect(groupsProblems(found({ 'group-now': [0], 'group-old': [0] }), plan).join(' ')).toMatch(/also printed the group from 2025/);
    expect(groupsProblems(found({ 'group-old': [1] }), plan).join(' ')).toMatch(/from 2025 but not the one from 2026/);
    expect(groupsProblems(found({}), plan).join(' ')).toMatch(/no message group.*\(andrewbrown, bayko\)/);
  });
});

describe('crash hints', () => {
  it.each([
    ["AttributeError: module 'datetime' has no attribute 'now'", /`import datetime` imports the module/],
    ["NameError: name 'reversed_array' is not defined", /reversed_array = items\[::-1\]/],
    ["NameError: name 'itmes' is not defined", /`itmes` is used but never assigned/],
    [
      'botocore.exceptions.ClientError: An error occurred (ValidationException) when calling the Query operation: Invalid KeyConditionExpression: An expression attribute value used in expression is not defined; attribute value: :current_year',
      /uses `:current_year`, which ExpressionAttributeValues does not define/,
    ],
    ['ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:year}', /defines :year, which the key condition does not use/],
    ["TypeError: 'NoneType' object is not subscriptable", /one of this run's users \(andrewbrown\)/],
  ])('%s', (output, hint) => {
    expect(crashHint(output, ['andrewbrown'])).toMatch(hint);
  });

  it('gives no hint for an unknown crash', () => {
    expect(crashHint('KeyError: x', [])).toBeUndefined();
  });
});

describe('tableProblem', () => {
  it('accepts pk/sk and names what is wrong otherwise', () => {
    const keys = (hash: string, range?: string) => ({
      TableStatus: 'ACTIVE' as const,
      KeySchema: [{ AttributeName: hash, KeyType: 'HASH' as const }, ...(range ? [{ AttributeName: range, KeyType: 'RANGE' as const }] : [])],
      AttributeDefinitions: [hash, range].filter((n): n is string => !!n).map((n) => ({ AttributeName: n, AttributeType: 'S' as const })),
    });
    expect(tableProblem(keys('pk', 'sk'))).toBeUndefined();
    expect(tableProblem(undefined)).toMatch(/no table/);
    expect(tableProblem(keys('pk'))).toMatch(/found: pk HASH/);
  });
});
