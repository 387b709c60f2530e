/** A test process started ahead of its run imports the modules this variable lists (JSON) while it waits. */
export const PRELOAD_VARIABLE = 'LAB_TEST_PROCESS_PRELOAD';

/** The messages between a kept fork and its parent, beside vitest's own (which carry `__vitest_worker_*__`). */
export interface KeptForkControl {
  __keptFork__: 'env';
  env: Record<string, string>;
}

/**
 * Before its first run, a test process started ahead imports `module` with `env` as its environment and calls its
 * `warm(...args)`: a head start on that run's work (see warmTestProcess). The run's own environment replaces `env`.
 */
export interface KeptForkWarm {
  __keptFork__: 'warm';
  env: Record<string, string>;
  module: string;
  args: unknown[];
}

export interface KeptForkReply {
  __keptFork__: 'ready';
  generation: number;
}

type Fields = Partial<Record<'__keptFork__' | 'env' | 'generation' | 'module' | 'args', unknown>>;
const fields = (message: unknown): Fields => (typeof message === 'object' && message !== null ? message : {});

export function isKeptForkControl(message: unknown): message is KeptForkControl {
  const { __keptFork__, env } = fields(message);
  return __keptFork__ === 'env' && typeof env === 'object' && env !== null;
}

export function isKeptForkReply(message: unknown): message is KeptForkReply {
  const { __keptFork__, generation } = fields(message);
  return __keptFork__ === 'ready' && typeof generation === 'number';
}

export function isKeptForkWarm(message: unknown): message is KeptForkWarm {
  const { __keptFork__, env, module, args } = fields(message);
  return __keptFork__ === 'warm' && typeof env === 'object' && env !== null && typeof module === 'string' && Array.isArray(args);
}
