/** A test process started ahead of its run imports the modules this variable lists (JSON) while it waits. */
export const PRELOAD_VARIABLE = 'LAB_TEST_PROCESS_PRELOAD';

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
