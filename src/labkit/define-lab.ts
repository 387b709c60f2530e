/** One task of a lab: what the learner must achieve, worth `points`. */
export interface TaskDefinition {
  name: string;
  points: number;
  /** What to try when the task fails; the README section has the long form. */
  hint: string;
}

/** A lab's data definition: id, title, its README and numbered tasks. */
export interface LabDefinition {
  id: string;
  title: string;
  /** Path of the learner README relative to the project root. */
  readme: string;
  /** The learner steps this lab performs (for the journal and the grader's discovery). */
  steps: string[];
  tasks: Record<number, TaskDefinition>;
}

export function defineLab<const L extends LabDefinition>(lab: L): L {
  const numbers = Object.keys(lab.tasks).map(Number);
  numbers.forEach((n, i) => {
    if (n !== i + 1) throw new Error(`Lab ${lab.id}: tasks must be numbered 1..N without gaps (found ${numbers.join(', ')}).`);
  });
  return lab;
}

/**
 * A lab that verifies nothing of the submission: no learner step runs in it and no task is worth points (such as
 * a screenshot of a tool over the suite's own data). Class grading leaves such labs out by default.
 */
export function isEvidenceOnly(lab: LabDefinition): boolean {
  return lab.steps.length === 0 && Object.values(lab.tasks).every((task) => task.points === 0);
}

export function taskId(lab: LabDefinition, n: number): string {
  return `${lab.id}/${n}`;
}

/** A pointer into the learner README for a task, used in failure messages. */
export function readmeRef(lab: LabDefinition, n: number): string {
  return `${lab.readme}#task-${n}`;
}
