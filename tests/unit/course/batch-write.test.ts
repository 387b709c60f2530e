import type { AttributeValue, BatchWriteItemCommandInput, WriteRequest } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, BATCH_WRITE_LIMIT, batchPutAll, BatchWriteExhaustedError, type BatchWriteSend, chunk } from '../../../src/course/batch-write.ts';

const TABLE = 't1';
const items = (n: number): Array<Record<string, AttributeValue>> => Array.from({ length: n }, (_, i) => ({ pk: { S: `p${i}` }, sk: { S: 's' } }));
const keyOf = (request: WriteRequest): string => request.PutRequest?.Item?.pk?.S ?? '?';

/** A stand-in for DynamoDB's BatchWriteItem that stores what it accepts and refuses what `refuse` picks. */
function fakeTable(refuse: (call: number, requests: WriteRequest[]) => WriteRequest[] = () => []) {
  const stored: string[] = [];
  const calls: number[] = [];
  const send: BatchWriteSend = async (input: BatchWriteItemCommandInput) => {
    const requests = input.RequestItems?.[TABLE] ?? [];
    calls.push(requests.length);
    const refused = refuse(calls.length, requests);
    for (const request of requests) if (!refused.includes(request)) stored.push(keyOf(request));
    const unprocessed: Record<string, WriteRequest[]> = refused.length ? { [TABLE]: refused } : {};
    return { UnprocessedItems: unprocessed };
  };
  return { send, stored, calls };
}

describe('chunk', () => {
  it('splits into consecutive chunks of at most the size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 25)).toEqual([]);
    expect(chunk(Array.from({ length: 106 }, (_, i) => i), BATCH_WRITE_LIMIT).map((c) => c.length)).toEqual([25, 25, 25, 25, 6]);
  });

  it('refuses a size that is not a positive integer', () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((retry) => backoffDelayMs(retry, 50, 1000))).toEqual([50, 100, 200, 400, 800, 1000]);
  });
});

describe('batchPutAll', () => {
  it('writes 106 items in 5 calls of at most 25', async () => {
    const table = fakeTable();
    const report = await batchPutAll(table.send, TABLE, items(106));
    expect(report).toEqual({ written: 106, batches: 5, retries: 0 });
    expect(table.calls).toEqual([25, 25, 25, 25, 6]);
    expect(new Set(table.stored).size).toBe(106);
  });

  it('re-sends only the unprocessed items, waiting longer each time', async () => {
    const waits: number[] = [];
    // The first call of each batch leaves its last 10 items, the retry leaves 3 more, the next takes all.
    const table = fakeTable((call, requests) => (call === 1 ? requests.slice(-10) : call === 2 ? requests.slice(-3) : []));
    const report = await batchPutAll(table.send, TABLE, items(25), { sleep: async (ms) => void waits.push(ms), baseDelayMs: 10 });
    expect(table.calls).toEqual([25, 10, 3]);
    expect(waits).toEqual([10, 20]);
    expect(report).toEqual({ written: 25, batches: 1, retries: 2 });
    expect(new Set(table.stored).size).toBe(25);
  });

  it('gives up after maxAttempts with a clear error counting what was not written', async () => {
    const table = fakeTable((call, requests) => (call === 1 ? [] : requests.slice(0, 1)));
    const error = await batchPutAll(table.send, TABLE, items(30), { maxAttempts: 3, sleep: async () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchWriteExhaustedError);
    expect(table.calls).toEqual([25, 5, 1, 1]);
    expect((error as BatchWriteExhaustedError).unwritten).toBe(1);
    expect((error as Error).message).toMatch(/1 unprocessed items of batch 2 of 2 after 3 attempts; 29 of 30 items are in table t1/);
  });

  it('wraps a failed call with the batch and progress, keeping the cause', async () => {
    const boom = new Error('socket hang up');
    let calls = 0;
    const send: BatchWriteSend = async () => {
      if (++calls === 2) throw boom;
      return {};
    };
    const error = await batchPutAll(send, TABLE, items(60)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/failed in batch 2 of 3 \(25 of 60 items written before it\): socket hang up/);
    expect((error as Error).cause).toBe(boom);
  });
});

describe('batchPutAll with batches in flight at once', () => {
  it('writes every item once and keeps no more batches in flight than asked', async () => {
    let inFlight = 0;
    let most = 0;
    const stored: string[] = [];
    const send: BatchWriteSend = async (input) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      for (const request of input.RequestItems?.[TABLE] ?? []) stored.push(keyOf(request));
      inFlight--;
      return { UnprocessedItems: {} };
    };
    const report = await batchPutAll(send, TABLE, items(260), { concurrency: 4 });
    expect(report).toEqual({ written: 260, batches: 11, retries: 0 });
    expect(new Set(stored).size).toBe(260);
    expect(most).toBe(4);
  });

  it('stops taking batches after one fails, and says which', async () => {
    const sent: number[] = [];
    const send: BatchWriteSend = async (input) => {
      const first = Number((input.RequestItems?.[TABLE]?.[0] && keyOf(input.RequestItems[TABLE][0]))?.slice(1));
      sent.push(first);
      if (first === 50) throw new Error('ValidationException: item too large');
      return { UnprocessedItems: {} };
    };
    await expect(batchPutAll(send, TABLE, items(1000), { concurrency: 3 })).rejects.toThrow(/failed in batch 3 of 40 .*item too large/);
    // Lanes already past the failure finish their own batch, but none starts a new one.
    expect(sent.length).toBeLessThan(6);
  });

  it('retries unprocessed items of every lane', async () => {
    const { send, stored } = fakeTable((call, requests) => (call % 3 === 0 ? requests.slice(0, 2) : []));
    const report = await batchPutAll(send, TABLE, items(200), { concurrency: 5, sleep: async () => {} });
    expect(report.written).toBe(200);
    expect(new Set(stored).size).toBe(200);
    expect(report.retries).toBeGreaterThan(0);
  });
});
