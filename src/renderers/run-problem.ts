import type { RunResults } from '../results/model.ts';

/**
 * The problem to report for the run as a whole, when it broke outside any task (services did not start,
 * no task ran). Formats that only list tasks would otherwise show such a run as empty, or even green.
 */
export function runProblem(results: RunResults): string | undefined {
  const message = results.message?.trim();
  if (results.tests.length === 0) return message || 'The run recorded no tasks, so nothing was verified.';
  if (results.status === 'error' && message) return message;
  return undefined;
}
