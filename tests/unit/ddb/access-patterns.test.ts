import { describe, expect, it } from 'vitest';
import { conversationQuery, conversationsQuery, COURSE_GROUP_UUID, groupIndexQuery, utcYear } from '../../../src/course/access-patterns.ts';
import { checkGroupUuid, splitModeArgs } from '../../../src/ddb/pattern-args.ts';
import { displayTime, groupLine, messageLine } from '../../../src/ddb/pattern-lines.ts';

describe('access-pattern queries', () => {
  it('uses the UTC year, also in the hour around New Year', () => {
    expect(utcYear(new Date('2026-12-31T23:30:00-02:00'))).toBe('2027');
    expect(utcYear(new Date('2027-01-01T00:30:00+02:00'))).toBe('2026');
  });

  it('get-conversation: newest 20 of one group and year', () => {
    expect(conversationQuery('t', COURSE_GROUP_UUID, '2026')).toEqual({
      TableName: 't',
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
      ExpressionAttributeValues: { ':pk': { S: `MSG#${COURSE_GROUP_UUID}` }, ':year': { S: '2026' } },
      ScanIndexForward: false,
      Limit: 20,
      ReturnConsumedCapacity: 'TOTAL',
    });
  });

  it("list-conversations: a user's groups of one year, no limit", () => {
    const query = conversationsQuery('t', 'u-1', '2026');
    expect(query.ExpressionAttributeValues).toEqual({ ':pk': { S: 'GRP#u-1' }, ':year': { S: '2026' } });
    expect(query.ScanIndexForward).toBe(false);
    expect(query.Limit).toBeUndefined();
  });

  it('group-messages: the GSI by message_group_uuid', () => {
    expect(groupIndexQuery('t', 'g')).toMatchObject({
      IndexName: 'message-group-sk-index',
      KeyConditionExpression: 'message_group_uuid = :group',
      ExpressionAttributeValues: { ':group': { S: 'g' } },
    });
  });

  it('checks group uuids and splits mode arguments', () => {
    expect(checkGroupUuid(COURSE_GROUP_UUID.toUpperCase(), 'usage')).toBe(COURSE_GROUP_UUID);
    expect(() => checkGroupUuid('5ae290ed', 'usage')).toThrow(/"5ae290ed" is not a message group uuid\. Usage: usage/);
    expect(splitModeArgs(['bayko', 'prod'])).toEqual({ mode: ['prod'], rest: ['bayko'] });
  });
});

describe('pattern lines', () => {
  it('shows UTC minutes of ISO times and unparseable keys as stored', () => {
    expect(displayTime('2026-11-24T09:05:43.123456+00:00')).toBe('2026-11-24 09:05');
    expect(displayTime('2026-11-24T10:05:00+01:00')).toBe('2026-11-24 09:05');
    expect(displayTime('yesterday')).toBe('yesterday');
  });

  it('prints a message and a group on one line each', () => {
    expect(messageLine({ user_handle: 'bayko', sk: '2026-11-24T09:05:00Z', message: 'Hi' })).toBe('bayko        2026-11-24 09:05  Hi');
    expect(groupLine({ sk: '2026-11-24T09:05:00Z', message_group_uuid: 'g', user_handle: 'bayko', user_display_name: 'Andrew Bayko', message: 'Hi' })).toBe(
      '2026-11-24 09:05  g  bayko (Andrew Bayko): Hi',
    );
  });
});
