import { BatchWriteItemCommand, type DynamoDBClient, type WriteRequest } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { setTimeout as delay } from 'node:timers/promises';

/** Writes items in batches of 25, retrying unprocessed ones (the lab's own fixtures, not the learner's). */
export async function putItems(client: DynamoDBClient, table: string, items: Array<Record<string, unknown>>): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let requests: WriteRequest[] = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item) } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB Local kept ${requests.length} writes unprocessed after ${attempt} attempts`);
      if (attempt > 0) await delay(25 * 2 ** attempt);
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: requests } }));
      requests = out.UnprocessedItems?.[table] ?? [];
    }
  }
}
