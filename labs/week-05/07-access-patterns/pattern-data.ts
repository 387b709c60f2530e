import { randomUUID } from 'node:crypto';
import { CONVERSATION_LINES } from '../../../src/course/conversation-lines.ts';
import type { Participant } from '../../../src/course/conversation.ts';
import { marker, type MarkerKind } from './markers.ts';
import { pythonIsoTime, timesThisYear } from './year-window.ts';

/** Messages of this year in the course's group: more than the 20 shown, so that Limit and order matter. */
export const THIS_YEAR_MESSAGES = 30;
/** How many earlier years hold messages of the course's group too, and how many messages each. */
export const HISTORY_YEARS = 5;
export const MESSAGES_PER_HISTORY_YEAR = 2;
/** Messages of the other conversation, dated last year. */
export const OTHER_MESSAGES = 8;

/** Stands in for the second participant when Postgres holds a single user. */
const PARTNER: Omit<Participant, 'uuid'> = { handle: 'labpartner', display_name: 'Lab Partner' };

export type LabItem = Record<string, string>;

const minute = (n: number): string => String(n).padStart(2, '0');

/** What the lab stores, and what it expects the access patterns to find in it. */
export interface PatternPlan {
  token: string;
  /** The current UTC year: every `msg-now` message and `group-now` item is dated in it. */
  year: number;
  /** The year of the other conversation and of every `group-old` item. */
  otherYear: number;
  groupUuid: string;
  otherGroupUuid: string;
  /** `group-now-<i>` and `group-old-<i>` belong to `owners[i]`. */
  owners: Participant[];
  /** The year of each `msg-old-<i>` message (same group, earlier years). */
  historyYears: number[];
  items: LabItem[];
}

export interface PlanInput {
  /** The Postgres users; each gets a group item for both years, so any handle a script looks up finds some. */
  users: readonly Participant[];
  now: Date;
  token: string;
  groupUuid: string;
  otherGroupUuid?: string;
  newUuid?: () => string;
}

/** `msg-now` indices the get-conversation pattern must show: the newest 20 of this year. */
export function newestIndices(shown: number, total = THIS_YEAR_MESSAGES): number[] {
  return Array.from({ length: Math.min(shown, total) }, (_, i) => total - Math.min(shown, total) + i);
}

/**
 * The lab's data for the access patterns: in the course's group, THIS_YEAR_MESSAGES messages dated this
 * year (all in the past) and a few from each of the HISTORY_YEARS years before; a second conversation in
 * another group dated last year; and for every user one group item per conversation. Each text starts with
 * a marker, so the lab can tell from any output which items a script printed.
 */
export function buildPatternPlan(input: PlanInput): PatternPlan {
  const { users, now, token, groupUuid } = input;
  const newUuid = input.newUuid ?? randomUUID;
  const otherGroupUuid = input.otherGroupUuid ?? newUuid();
  if (users.length === 0) throw new RangeError('The access-pattern data needs at least one Postgres user.');
  const year = now.getUTCFullYear();
  const otherYear = year - 1;
  const first = users.find((u) => u.handle === 'andrewbrown') ?? (users[0] as Participant);
  const second = users.find((u) => u.handle === 'bayko' && u !== first) ?? users.find((u) => u !== first) ?? { ...PARTNER, uuid: newUuid() };
  let line = 0;
  const nextLine = (): string => (CONVERSATION_LINES[line++ % CONVERSATION_LINES.length] as readonly [string, string])[1];

  const message = (group: string, sk: string, kind: MarkerKind, index: number): LabItem => {
    const sender = index % 2 === 0 ? first : second;
    return {
      pk: `MSG#${group}`,
      sk,
      message_uuid: newUuid(),
      message: `${marker(token, kind, index)} ${nextLine()}`,
      user_uuid: sender.uuid,
      user_display_name: sender.display_name,
      user_handle: sender.handle,
    };
  };

  const historyYears = Array.from({ length: HISTORY_YEARS * MESSAGES_PER_HISTORY_YEAR }, (_, i) => year - HISTORY_YEARS + Math.floor(i / MESSAGES_PER_HISTORY_YEAR));
  const history = historyYears.map((y, i) => message(groupUuid, `${y}-06-15T12:${minute(i % MESSAGES_PER_HISTORY_YEAR)}:00.000000+00:00`, 'msg-old', i));
  const thisYear = timesThisYear(now, THIS_YEAR_MESSAGES).map((us, i) => message(groupUuid, pythonIsoTime(us), 'msg-now', i));
  const other = Array.from({ length: OTHER_MESSAGES }, (_, i) =>
    message(otherGroupUuid, `${otherYear}-09-01T18:${minute(i)}:00.000000+00:00`, 'msg-other', i),
  );

  const groupItems = users.flatMap((owner, i) => {
    const shown = owner.uuid === first.uuid ? second : first;
    const group = (uuid: string, last: LabItem, kind: MarkerKind): LabItem => ({
      pk: `GRP#${owner.uuid}`,
      sk: last.sk as string,
      message_group_uuid: uuid,
      // The last message's text, tagged with this item's own marker instead of the message's.
      message: `${marker(token, kind, i)} ${(last.message as string).replace(/^\S+ /, '')}`,
      user_uuid: shown.uuid,
      user_display_name: shown.display_name,
      user_handle: shown.handle,
    });
    return [group(groupUuid, thisYear.at(-1) as LabItem, 'group-now'), group(otherGroupUuid, other.at(-1) as LabItem, 'group-old')];
  });

  return {
    token,
    year,
    otherYear,
    groupUuid,
    otherGroupUuid,
    owners: [...users],
    historyYears,
    items: [...groupItems, ...history, ...thisYear, ...other],
  };
}
