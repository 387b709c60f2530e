import { randomUUID } from 'node:crypto';
import { CONVERSATION_LINES, type Speaker } from './conversation-lines.ts';

/** A user as the seed reads it from Postgres (`UserRow` of course-schema.ts fits). */
export interface Participant {
  uuid: string;
  display_name: string;
  handle: string;
}

/** One per participant: the group as its owner's inbox lists it, describing the OTHER participant. */
export interface MessageGroupItem {
  pk: `GRP#${string}`;
  /** Time of the group's last message, ISO 8601. */
  sk: string;
  message_group_uuid: string;
  /** Text of the group's last message. */
  message: string;
  user_uuid: string;
  user_display_name: string;
  user_handle: string;
}

/** One message of a group, describing its sender. */
export interface MessageItem {
  pk: `MSG#${string}`;
  /** created_at, ISO 8601. */
  sk: string;
  message_uuid: string;
  message: string;
  user_uuid: string;
  user_display_name: string;
  user_handle: string;
}

/** An item the seed writes. */
export type ConversationItem = MessageGroupItem | MessageItem;

/** What a conversation is built from. */
export interface ConversationInput {
  /** The seeding user (`andrewbrown` in the course). */
  me: Participant;
  other: Participant;
  now: Date;
  groupUuid: string;
  /** Makes message uuids; injectable so that tests can make them predictable. */
  newUuid?: () => string;
  lines?: ReadonlyArray<readonly [Speaker, string]>;
}

/** The first message is this old: the course's timezone fix, so that new messages sort after the seed. */
export const FIRST_MESSAGE_AGE_MS = 24 * 60 * 60 * 1000;

/** Messages are this far apart. */
export const MESSAGE_INTERVAL_MS = 60 * 1000;

/** Whether an item is a message group item (its pk starts with `GRP#`). */
export function isMessageGroupItem(item: ConversationItem): item is MessageGroupItem {
  return item.pk.startsWith('GRP#');
}

/**
 * Builds the seed's items: the two message group items first (one per participant, same group uuid), then
 * one message item per line, a minute apart, starting one day before `now` so that every message lies in
 * the past. Pure apart from `newUuid`, which defaults to random v4 uuids.
 */
export function buildConversation(input: ConversationInput): ConversationItem[] {
  const { me, other, now, groupUuid } = input;
  const newUuid = input.newUuid ?? randomUUID;
  const lines = input.lines ?? CONVERSATION_LINES;
  if (me.uuid === other.uuid) {
    // Both group items would share one key and the second would overwrite the first.
    throw new RangeError(`A conversation needs two different users, got ${me.handle} twice (uuid ${me.uuid}).`);
  }
  const start = now.getTime() - FIRST_MESSAGE_AGE_MS;
  if (start + (lines.length - 1) * MESSAGE_INTERVAL_MS >= now.getTime()) {
    throw new RangeError(`${lines.length} lines a minute apart would reach past now; new messages must sort after the seed.`);
  }

  const messages: MessageItem[] = lines.map(([speaker, text], index) => {
    const sender = speaker === 'me' ? me : other;
    return {
      pk: `MSG#${groupUuid}`,
      sk: new Date(start + index * MESSAGE_INTERVAL_MS).toISOString(),
      message_uuid: newUuid(),
      message: text,
      user_uuid: sender.uuid,
      user_display_name: sender.display_name,
      user_handle: sender.handle,
    };
  });
  const last = messages[messages.length - 1];
  if (!last) throw new RangeError('A conversation needs at least one line.');
  const group = (owner: Participant, shown: Participant): MessageGroupItem => ({
    pk: `GRP#${owner.uuid}`,
    sk: last.sk,
    message_group_uuid: groupUuid,
    message: last.message,
    user_uuid: shown.uuid,
    user_display_name: shown.display_name,
    user_handle: shown.handle,
  });
  return [group(me, other), group(other, me), ...messages];
}
