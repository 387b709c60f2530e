import type { LabDefinition } from '../labkit/define-lab.ts';
import { buildResults, taskIdentities, unverifiedTask } from '../results/build-results.ts';
import type { RunResults } from '../results/model.ts';

/** A results file for a repository that could not be graded at all: every task `error`, with the reason. */
export function errorResults(labs: readonly LabDefinition[], message: string, submission: RunResults['submission']): RunResults {
  const tests = labs.flatMap((lab) => taskIdentities(lab).map((task) => unverifiedTask(task, message)));
  const now = new Date();
  return buildResults(tests, Object.fromEntries(labs.map((l) => [l.id, l.title])), { startedAt: now, finishedAt: now, services: null, submission, message });
}
