import type { AttributeValue, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import { awsErrorName, errorMessage } from '../errors.ts';
import { MESSAGE_GROUP_INDEX } from './messages-table.ts';
import { queryAll, type QuerySend } from './paginate.ts';

/**
 * The message group the course's `get-conversation` hard-codes (the course seed writes its conversation
 * under it, and so do learners' seeds that copied it).
 */
export const COURSE_GROUP_UUID = '5ae290ed-55d1-47a0-bc6d-fe2bc2700399';

/** How many messages the conversation view shows: the newest 20. */
export const CONVERSATION_LIMIT = 20;

/**
 * The year the access patterns filter on: the current year in UTC, as text (`"2026"`). Items' `sk` are
 * ISO-8601 times, so `begins_with(sk, :year)` keeps one year. The course first hard-coded `'2023'`, which
 * returns nothing once the year changes.
 */
export function utcYear(now: Date): string {
  return String(now.getUTCFullYear());
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

/**
 * Every item of a message group through the GSI `message-group-sk-index` (all pages). Used by the
 * group-messages script and by lab 07, which runs it against the learner's own table and index.
 */
export function queryGroupIndex(send: QuerySend, table: string, groupUuid: string): Promise<Array<Record<string, AttributeValue>>> {
  return queryAll(send, groupIndexQuery(table, groupUuid));
}

/** Whether a Query failed because the table has no index of that name. */
export function isMissingIndex(error: unknown): boolean {
  return awsErrorName(error) === 'ValidationException' && /specified index/i.test(errorMessage(error));
}
