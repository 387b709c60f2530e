import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type PlainItem, unmarshallItem } from './attribute-values.ts';

/** An item as one JSON line of plain values (not DynamoDB JSON), `pk` and `sk` first and the rest sorted. */
export function itemLine(item: Readonly<Record<string, AttributeValue>>): string {
  return JSON.stringify(keysFirst(unmarshallItem(item)));
}

// DynamoDB returns attributes in no fixed order; a stable order makes output comparable between runs.
function keysFirst(item: PlainItem): PlainItem {
  const rank = (key: string): string => (key === 'pk' ? '0' : key === 'sk' ? '1' : `2${key}`);
  return Object.fromEntries(Object.entries(item).sort(([a], [b]) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0)));
}
