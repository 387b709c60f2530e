import type { QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { MESSAGE_GROUP_INDEX } from './messages-table.ts';
import { UsageError } from './script-args.ts';

/**
 * The message group the course's `get-conversation` hard-codes (the course seed writes its conversation
 * under it, and so do learners' seeds that copied it).
 */
export const COURSE_GROUP_UUID = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';

/** How many messages the conversation view shows: the newest 20. */
export const CONVERSATION_LIMIT = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The year the access patterns filter on: the current year in UTC, as text (`"2026"`). Items' `sk` are
 * ISO-8601 times, so `begins_with(sk, :year)` keeps one year. The course first hard-coded `'2023'`, which
 * returns nothing once the year changes.
 */
export function utcYear(now: Date): string {
  return String(now.getUTCFullYear());
}

/** Checks a message group uuid argument before any request, so that a typo gets a usage message. */
export function checkGroupUuid(value: string, usage: string): string {
  if (!UUID.test(value)) throw new UsageError(`${JSON.stringify(value)} is not a message group uuid. Usage: ${usage}`);
  return value.toLowerCase();
}

/**
 * get-conversation: the newest CONVERSATION_LIMIT messages of a group in one year. Newest first
 * (`ScanIndexForward: false`) is what makes `Limit` pick the newest rather than the oldest.
 */
export function conversationQuery(table: string, groupUuid: string, year: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
    ExpressionAttributeValues: { ':pk': { S: `MSG#${groupUuid}` }, ':year': { S: year } },
    ScanIndexForward: false,
    Limit: CONVERSATION_LIMIT,
    ReturnConsumedCapacity: 'TOTAL',
  };
}

/** list-conversations: a user's message groups whose last message is from `year`, most recent first. */
export function conversationsQuery(table: string, userUuid: string, year: string): QueryCommandInput {
  return {
    TableName: table,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :year)',
    ExpressionAttributeValues: { ':pk': { S: `GRP#${userUuid}` }, ':year': { S: year } },
    ScanIndexForward: false,
    ReturnConsumedCapacity: 'TOTAL',
  };
}

/**
 * group-messages: every item of a message group through the GSI `message-group-sk-index`, oldest first.
 * With the course's data model only the message group items carry `message_group_uuid` (one per
 * participant), so this is how the app finds both sides of a group to update them.
 */
export function groupIndexQuery(table: string, groupUuid: string): QueryCommandInput {
  return {
    TableName: table,
    IndexName: MESSAGE_GROUP_INDEX,
    KeyConditionExpression: 'message_group_uuid = :group',
    ExpressionAttributeValues: { ':group': { S: groupUuid } },
    ReturnConsumedCapacity: 'TOTAL',
  };
}
