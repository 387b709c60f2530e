import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { batchPutAll } from '../course/batch-write.ts';

/** Batches a lab writes at once: DynamoDB Local takes them on several threads, and the labs' tables are large. */
const LAB_WRITE_CONCURRENCY = 8;

/** Writes a lab's own fixture items (not the learner's) in parallel batches of 25, retrying unprocessed ones. */
export async function putItems(client: DynamoDBClient, table: string, items: Array<Record<string, unknown>>): Promise<void> {
  await batchPutAll(
    (input) => client.send(new BatchWriteItemCommand(input)),
    table,
    items.map((item) => marshall(item)),
    { concurrency: LAB_WRITE_CONCURRENCY },
  );
}
