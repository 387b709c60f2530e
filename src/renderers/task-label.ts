import type { TaskResult } from '../results/model.ts';

/** How every renderer names a task: `02-create-table/2 Add a sort key`. */
export function taskLabel(task: TaskResult): string {
  return `${task.task_id} ${task.name}`;
}

/** What to tell a learner about a task that could not be verified, whatever the format. */
export const NOT_VERIFIED_NOTE =
  'Could not verify this task because of a problem on the grader side (not in your work). It does not count against you.';
