import os from 'node:os';

/**
 * Memory one grading worker takes at its peak: DynamoDB Local's JVM, Postgres, vitest with its test process and a
 * learner's step. Two workers grading a class here peaked at 1.7 GB of resident memory together.
 */
export const WORKER_MEMORY_MB = 900;

/** How many workers grade at once, and why it is fewer than asked for or than the cores when it is. */
export interface WorkerCount {
  jobs: number;
  note?: string;
}

/**
 * Workers at once: `--jobs` when given, else one per core, as many as the free memory holds. A machine that runs
 * out of memory kills workers, and every repository they held would be graded again or reported `error`.
 */
export function workerCount(requested: number | undefined, cores: number = os.availableParallelism(), freeMb: number = os.freemem() / 2 ** 20): WorkerCount {
  const fits = Math.max(1, Math.floor(freeMb / WORKER_MEMORY_MB));
  const free = `${(freeMb / 1024).toFixed(1)} GB of memory is free and a worker takes up to about ${WORKER_MEMORY_MB} MB`;
  if (requested !== undefined) {
    return requested > fits ? { jobs: requested, note: `--jobs ${requested} may run out of memory: ${free} (${fits} would fit)` } : { jobs: requested };
  }
  if (fits >= cores) return { jobs: cores };
  return { jobs: fits, note: `${fits} worker(s) at once, not one per core (${cores}): ${free}; --jobs N decides` };
}
