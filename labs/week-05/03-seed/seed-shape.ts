import type { Item } from '../../../src/labkit/ddb-observe.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Date and time, optional fraction, optional offset or Z: what Python's isoformat() and JS toISOString() print.
const ISO = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function isUuid(value: unknown): boolean {
  return typeof value === 'string' && UUID.test(value);
}

export function isIsoTimestamp(value: unknown): boolean {
  return typeof value === 'string' && ISO.test(value) && !Number.isNaN(Date.parse(value.replace(' ', 'T')));
}

/** Splits the table into message-group items (GRP#) and message items (MSG#), each sorted by sk. */
export function splitItems(items: Item[]): { groups: Item[]; messages: Item[] } {
  const bySk = (a: Item, b: Item) => String(a.sk).localeCompare(String(b.sk));
  return {
    groups: items.filter((i) => String(i.pk).startsWith('GRP#')).sort(bySk),
    messages: items.filter((i) => String(i.pk).startsWith('MSG#')).sort(bySk),
  };
}
