import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * A small DynamoDB JSON <-> plain value converter. `@aws-sdk/util-dynamodb` is not a dependency of this
 * project, and the reference scripts need only this much: strings for writing, every type for printing.
 */

/** A plain value as it appears in an unmarshalled item. Sets become arrays, binaries base64 strings. */
export type PlainValue = string | number | boolean | null | PlainValue[] | { [key: string]: PlainValue };

/** A plain item. */
export type PlainItem = Record<string, PlainValue>;

/** The values the seed writes; deliberately narrower than PlainValue. */
export type WritableValue = string | number | boolean | null;

/**
 * Converts a flat item of strings, numbers, booleans and nulls to DynamoDB's attribute map. Generic so that
 * interfaces (which have no index signature) are accepted as long as every property is writable.
 */
export function marshallItem<T extends { [K in keyof T]: WritableValue }>(item: T): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries<WritableValue>(item)) out[key] = marshallValue(value);
  return out;
}

function marshallValue(value: WritableValue): AttributeValue {
  if (value === null) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`DynamoDB cannot store the number ${value}.`);
    return { N: String(value) };
  }
  return { BOOL: value };
}

/** Converts DynamoDB's attribute map to a plain object, e.g. for printing a scanned item as JSON. */
export function unmarshallItem(item: Readonly<Record<string, AttributeValue>>): PlainItem {
  const out: PlainItem = {};
  for (const [key, value] of Object.entries(item)) out[key] = unmarshallValue(value);
  return out;
}

/**
 * Converts one attribute value. Numbers that do not survive a round trip through a JS number (more than
 * 15-17 significant digits) stay strings, so that printing never changes a stored value.
 */
export function unmarshallValue(value: AttributeValue): PlainValue {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return toNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return Buffer.from(value.B).toString('base64');
  if (value.SS !== undefined) return [...value.SS];
  if (value.NS !== undefined) return value.NS.map(toNumber);
  if (value.BS !== undefined) return value.BS.map((b) => Buffer.from(b).toString('base64'));
  if (value.L !== undefined) return value.L.map(unmarshallValue);
  if (value.M !== undefined) return unmarshallItem(value.M);
  throw new TypeError(`Unknown DynamoDB attribute value with keys ${Object.keys(value).join(', ') || '(none)'}.`);
}

// DynamoDB returns numbers in a canonical form ("1.5", not "1.50"); anything a JS number would print
// differently (big integers, long fractions, "1E+3") is kept as the stored string.
function toNumber(raw: string): number | string {
  const parsed = Number(raw);
  return Number.isFinite(parsed) && String(parsed) === raw ? parsed : raw;
}
