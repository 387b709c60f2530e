import { taskId, type LabDefinition } from '../labkit/define-lab.ts';
import type { ServiceFacts } from '../services/types.ts';
import { RESULTS_VERSION, tallyTasks, type RunResults, type SandboxReport, type TaskResult } from './model.ts';

/** What a task is, as far as its result needs: its id, lab, name, points and hint. */
export interface TaskIdentity {
  task_id: string;
  lab: string;
  name: string;
  points: number;
  hint?: string;
}

/** Every task of a lab, as its results name it. */
export function taskIdentities(lab: LabDefinition): TaskIdentity[] {
  return Object.entries(lab.tasks).map(([n, def]) => ({ task_id: taskId(lab, Number(n)), lab: lab.id, name: def.name, points: def.points, hint: def.hint }));
}

/** A task that could not be verified: `error`, no points, the reason; it never counts against the learner. */
export function unverifiedTask(task: TaskIdentity, reason: string): TaskResult {
  return {
    task_id: task.task_id,
    lab: task.lab,
    name: task.name,
    status: 'error',
    score: 0,
    max_score: task.points,
    message: `Not verified: ${reason}`,
    output: '',
    ...(task.hint !== undefined ? { hint: task.hint } : {}),
  };
}

/** What a run was, besides its tasks. */
export interface RunFacts {
  startedAt: Date;
  finishedAt?: Date;
  services: ServiceFacts | null;
  submission: RunResults['submission'];
  sandbox?: SandboxReport;
  /** Why the run as a whole could not be verified (no services, no grading at all). */
  message?: string;
}

/** The one way a results object is made: the reporter's runs and every error path of the grader. */
export function buildResults(tests: TaskResult[], titles: Record<string, string>, facts: RunFacts): RunResults {
  const { status, score, max_score, labs, tests: ordered } = tallyTasks(tests, titles);
  return {
    version: RESULTS_VERSION,
    status,
    score,
    max_score,
    started_at: facts.startedAt.toISOString(),
    finished_at: (facts.finishedAt ?? new Date()).toISOString(),
    backend: facts.services?.backend ?? 'none',
    services: facts.services,
    submission: facts.submission,
    environment: { node: process.version, platform: `${process.platform}-${process.arch}`, ...(facts.sandbox ? { sandbox: facts.sandbox } : {}) },
    ...(facts.message ? { message: facts.message } : {}),
    labs,
    tests: ordered,
  };
}
