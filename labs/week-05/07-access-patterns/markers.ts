import { randomBytes } from 'node:crypto';

/**
 * What a marker tags: this year's messages of the course's group (`msg-now`), its messages from earlier
 * years (`msg-old`), the messages of the other conversation (`msg-other`), and each user's group item of
 * this year (`group-now`) and of the earlier year (`group-old`).
 */
export const MARKER_KINDS = ['msg-now', 'msg-old', 'msg-other', 'group-now', 'group-old'] as const;
export type MarkerKind = (typeof MARKER_KINDS)[number];

/** The indices of each kind of marker found in a text. */
export type FoundMarkers = Record<MarkerKind, Set<number>>;

/** A run-unique token, so that output from an earlier run can never count. */
export function markerToken(): string {
  return randomBytes(4).toString('hex');
}

/**
 * A marker such as `lab07-1a2b3c4d-msg-now-29` (at most 27 characters): it leads each text, so it survives
 * the course's `message[:40]` when the script prints only the start of a message.
 */
export function marker(token: string, kind: MarkerKind, index: number): string {
  return `lab07-${token}-${kind}-${index}`;
}

/** Every marker of this run in a text, by kind. */
export function markersIn(text: string, token: string): FoundMarkers {
  const found = Object.fromEntries(MARKER_KINDS.map((kind) => [kind, new Set<number>()])) as FoundMarkers;
  const pattern = new RegExp(`lab07-${token}-(${MARKER_KINDS.join('|')})-(\\d+)`, 'g');
  for (const match of text.matchAll(pattern)) found[match[1] as MarkerKind].add(Number(match[2]));
  return found;
}
