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

/** What a learner and an instructor are told to do about a run that could not be graded. */
export const NOT_GRADED_ADVICE =
  'No points are claimed for this run and nothing in it counts against you: grade it again (re-run the workflow, or ' +
  'resubmit); if it fails the same way, tell your instructor, who can regrade it once the grader is fixed.';

/**
 * Why the run is not a grade, or undefined when it is one. A run is not gradable when a task worth points could
 * not be verified (status `error`): a score made of the tasks that did run would be a grade the learner never got
 * (PrairieLearn's `gradable: false`).
 */
export function notGradedReason(results: RunResults): string | undefined {
  if (results.status !== 'error') return undefined;
  const problem = runProblem(results);
  if (problem !== undefined) return problem;
  const errored = results.tests.filter((t) => t.status === 'error' && t.max_score > 0);
  const first = errored[0] ?? results.tests.find((t) => t.status === 'error');
  if (!first) return 'The run ended in an error.';
  const more = errored.length > 1 ? ` (and ${errored.length - 1} more task(s))` : '';
  return `${first.task_id} could not be verified${more}: ${first.message}`;
}
