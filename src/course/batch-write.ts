import { setTimeout as delay } from 'node:timers/promises';
import type { AttributeValue, BatchWriteItemCommandInput, BatchWriteItemCommandOutput, WriteRequest } from '@aws-sdk/client-dynamodb';
import { errorMessage, ServiceError } from '../errors.ts';

/** DynamoDB accepts at most 25 put or delete requests in one BatchWriteItem call. */
export const BATCH_WRITE_LIMIT = 25;

/** Sends one BatchWriteItem request; `client.send(new BatchWriteItemCommand(input))` in the scripts. */
export type BatchWriteSend = (input: BatchWriteItemCommandInput) => Promise<Pick<BatchWriteItemCommandOutput, 'UnprocessedItems'>>;

/** Retry policy of batchPutAll. */
export interface BatchWriteOptions {
  /** Calls per batch, the first included, before giving up on its unprocessed items. Default 8. */
  maxAttempts?: number;
  /** Wait before the first retry; doubles on each further retry. Default 50 ms. */
  baseDelayMs?: number;
  /** Upper bound of one wait. Default 2000 ms. */
  maxDelayMs?: number;
  /** Injected for tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Batches in flight at once. Default 1: the course's scripts write one batch after another. */
  concurrency?: number;
}

/** What a batch write did. */
export interface BatchWriteReport {
  written: number;
  batches: number;
  /** Calls that only re-sent unprocessed items. */
  retries: number;
}

/** Unprocessed items were still left after the last attempt: DynamoDB is throttling this table. */
export class BatchWriteExhaustedError extends ServiceError {
  /** Items that were not written, later batches included. */
  readonly unwritten: number;
  constructor(message: string, unwritten: number, options?: ErrorOptions) {
    super(message, options);
    this.unwritten = unwritten;
  }
}

/** Splits items into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** The wait before retry number `retry` (1-based): base, 2*base, 4*base, ... capped at `maxMs`. */
export function backoffDelayMs(retry: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, retry - 1));
}

/**
 * Puts every item with BatchWriteItem, 25 at a time. A successful call may still hand back UnprocessedItems
 * (throttling, or a too-large request); those are re-sent with exponential backoff, a bounded number of
 * times, because dropping them silently is exactly the "seed exits 0 but wrote almost nothing" bug.
 */
export async function batchPutAll(
  send: BatchWriteSend,
  table: string,
  items: ReadonlyArray<Record<string, AttributeValue>>,
  options: BatchWriteOptions = {},
): Promise<BatchWriteReport> {
  const maxAttempts = options.maxAttempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 50;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const batches = chunk(items, BATCH_WRITE_LIMIT);
  const report: BatchWriteReport = { written: 0, batches: batches.length, retries: 0 };

  const concurrency = Math.max(1, Math.min(options.concurrency ?? 1, batches.length));
  let next = 0;
  let failed = false;
  const putBatch = async (index: number, batch: ReadonlyArray<Record<string, AttributeValue>>): Promise<void> => {
    let pending: WriteRequest[] = batch.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) {
        report.retries++;
        await sleep(backoffDelayMs(attempt - 1, baseDelayMs, maxDelayMs));
      }
      let output: Pick<BatchWriteItemCommandOutput, 'UnprocessedItems'>;
      try {
        output = await send({ RequestItems: { [table]: pending } });
      } catch (error) {
        throw new ServiceError(
          `BatchWriteItem on table ${table} failed in batch ${index + 1} of ${batches.length} ` +
            `(${report.written} of ${items.length} items written before it): ${errorMessage(error)}`,
          { cause: error },
        );
      }
      const left = output.UnprocessedItems?.[table] ?? [];
      report.written += pending.length - left.length;
      pending = left;
      if (pending.length > 0 && attempt >= maxAttempts) {
        throw new BatchWriteExhaustedError(
          `DynamoDB still returned ${pending.length} unprocessed items of batch ${index + 1} of ${batches.length} ` +
            `after ${maxAttempts} attempts; ${report.written} of ${items.length} items are in table ${table}. ` +
            'The table is throttling writes: raise its write capacity (or use on-demand billing), ' +
            'drop and re-create it, then seed again.',
          items.length - report.written,
        );
      }
    }
  };
  // Each lane takes the next batch until none is left or one lane failed.
  const lane = async (): Promise<void> => {
    while (!failed && next < batches.length) {
      const index = next++;
      try {
        await putBatch(index, batches[index] ?? []);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: concurrency }, lane));
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
  return report;
}
