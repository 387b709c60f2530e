import type { RunResults } from '../results/model.ts';

/** 0 all passed, 1 some failed, 2 could not grade. */
export function exitCodeFor(status: RunResults['status']): number {
  return status === 'pass' ? 0 : status === 'fail' ? 1 : 2;
}
