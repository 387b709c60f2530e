import { describe, expect, it } from 'vitest';
import { buildConversation, FIRST_MESSAGE_AGE_MS, isMessageGroupItem, type MessageItem } from '../../../src/course/conversation.ts';
import { CONVERSATION_LINES } from '../../../src/course/conversation-lines.ts';

const me = { uuid: '11111111-1111-4111-8111-111111111111', display_name: 'Andrew Brown', handle: 'andrewbrown' };
const other = { uuid: '22222222-2222-4222-8222-222222222222', display_name: 'Andrew Bayko', handle: 'bayko' };
const now = new Date('2025-06-15T12:00:00.000Z');
const groupUuid = '33333333-3333-4333-8333-333333333333';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function build() {
  const items = buildConversation({ me, other, now, groupUuid });
  const groups = items.filter(isMessageGroupItem);
  const messages = items.filter((item): item is MessageItem => !isMessageGroupItem(item));
  return { items, groups, messages };
}

describe('buildConversation', () => {
  it('makes 106 items: 2 message groups and 104 messages', () => {
    const { items, groups, messages } = build();
    expect(CONVERSATION_LINES).toHaveLength(104);
    expect(items).toHaveLength(106);
    expect(groups).toHaveLength(2);
    expect(messages).toHaveLength(104);
  });

  it('keys every message under MSG#<group> with ISO 8601 sort keys, strictly increasing, a minute apart', () => {
    const { messages } = build();
    for (const message of messages) {
      expect(message.pk).toBe(`MSG#${groupUuid}`);
      expect(message.sk).toMatch(ISO_UTC);
    }
    const times = messages.map((message) => Date.parse(message.sk));
    expect(times[0]).toBe(now.getTime() - FIRST_MESSAGE_AGE_MS);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(60_000);
    // Lexical order is what DynamoDB sorts by; ISO strings of one format must sort like the times.
    expect(messages.map((message) => message.sk)).toEqual(messages.map((message) => message.sk).sort());
  });

  it('dates every item in the past', () => {
    for (const item of build().items) expect(Date.parse(item.sk)).toBeLessThan(now.getTime());
  });

  it('writes one group item per participant, describing the other one and the last message', () => {
    const { groups, messages } = build();
    const last = messages.at(-1);
    expect(groups).toEqual([
      {
        pk: `GRP#${me.uuid}`,
        sk: last?.sk,
        message_group_uuid: groupUuid,
        message: last?.message,
        user_uuid: other.uuid,
        user_display_name: other.display_name,
        user_handle: other.handle,
      },
      {
        pk: `GRP#${other.uuid}`,
        sk: last?.sk,
        message_group_uuid: groupUuid,
        message: last?.message,
        user_uuid: me.uuid,
        user_display_name: me.display_name,
        user_handle: me.handle,
      },
    ]);
  });

  it('names the sender of every message and lets both users speak', () => {
    const { messages } = build();
    const senders = new Set(messages.map((message) => `${message.user_uuid}|${message.user_handle}|${message.user_display_name}`));
    expect(senders).toEqual(new Set([`${me.uuid}|andrewbrown|Andrew Brown`, `${other.uuid}|bayko|Andrew Bayko`]));
  });

  it('gives every message a unique v4 uuid and every item a unique key', () => {
    const { items, messages } = build();
    const uuids = messages.map((message) => message.message_uuid);
    for (const uuid of uuids) expect(uuid).toMatch(UUID_V4);
    expect(new Set(uuids).size).toBe(104);
    expect(new Set(items.map((item) => `${item.pk}|${item.sk}`)).size).toBe(106);
  });

  it('uses the injected uuid maker', () => {
    let n = 0;
    const items = buildConversation({ me, other, now, groupUuid, newUuid: () => `uuid-${n++}` });
    const messages = items.filter((item): item is MessageItem => !isMessageGroupItem(item));
    expect(messages.slice(0, 2).map((message) => message.message_uuid)).toEqual(['uuid-0', 'uuid-1']);
  });

  it('refuses a conversation of a user with themselves', () => {
    expect(() => buildConversation({ me, other: me, now, groupUuid })).toThrow(/two different users/);
  });

  it('refuses lines that would reach past now', () => {
    const lines = Array.from({ length: 24 * 60 + 1 }, () => ['me', 'hi'] as const);
    expect(() => buildConversation({ me, other, now, groupUuid, lines })).toThrow(/past now/);
  });
});
