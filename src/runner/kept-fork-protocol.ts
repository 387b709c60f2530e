/** A test process started ahead of its run imports the modules this variable lists (JSON) while it waits. */
export const PRELOAD_VARIABLE = 'LAB_TEST_PROCESS_PRELOAD';

/**
 * Set by a process whose TMPDIR is a private folder (a grading worker's): the TMPDIR its test processes start with,
 * where tsx keeps its transform cache of the suite. The test process then takes the run's TMPDIR.
 */
export const START_TMPDIR_VARIABLE = 'LAB_TEST_PROCESS_START_TMPDIR';
/** The run's TMPDIR, handed to a test process that started with another one. */
export const RUN_TMPDIR_VARIABLE = 'LAB_TEST_PROCESS_RUN_TMPDIR';

/** The messages between a kept fork and its parent, beside vitest's own (which carry `__vitest_worker_*__`). */
export interface KeptForkControl {
  __keptFork__: 'env';
  env: Record<string, string>;
}

export interface KeptForkReply {
  __keptFork__: 'ready';
  generation: number;
}

type Fields = Partial<Record<'__keptFork__' | 'env' | 'generation', unknown>>;
const fields = (message: unknown): Fields => (typeof message === 'object' && message !== null ? message : {});

export function isKeptForkControl(message: unknown): message is KeptForkControl {
  const { __keptFork__, env } = fields(message);
  return __keptFork__ === 'env' && typeof env === 'object' && env !== null;
}

export function isKeptForkReply(message: unknown): message is KeptForkReply {
  const { __keptFork__, generation } = fields(message);
  return __keptFork__ === 'ready' && typeof generation === 'number';
}
