import { describe, expect, it } from 'vitest';
import { WORKER_MEMORY_MB, workerCount } from '../../../src/grader/worker-count.ts';

describe('workerCount', () => {
  it('is one worker per core where the memory holds them', () => {
    expect(workerCount(undefined, 2, 24 * 1024)).toEqual({ jobs: 2 });
    expect(workerCount(undefined, 8, 8 * WORKER_MEMORY_MB)).toEqual({ jobs: 8 });
  });

  it('is fewer where the free memory holds fewer, at least one, and says why', () => {
    const count = workerCount(undefined, 16, 6 * 1024);
    expect(count.jobs).toBe(6);
    expect(count.note).toBe(`6 worker(s) at once, not one per core (16): 6.0 GB of memory is free and a worker takes up to about ${WORKER_MEMORY_MB} MB; --jobs N decides`);
    expect(workerCount(undefined, 4, 300).jobs).toBe(1);
  });

  it('keeps an explicit --jobs, warning when it will not fit', () => {
    expect(workerCount(3, 2, 24 * 1024)).toEqual({ jobs: 3 });
    const count = workerCount(12, 16, 4 * 1024);
    expect(count.jobs).toBe(12);
    expect(count.note).toBe(`--jobs 12 may run out of memory: 4.0 GB of memory is free and a worker takes up to about ${WORKER_MEMORY_MB} MB (4 would fit)`);
  });
});
