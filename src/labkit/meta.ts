import type {} from '@vitest/runner';
import type { Status } from '../results/model.ts';

/** What a lab task records on its vitest test; the results reporter reads it. */
export interface LabTaskMeta {
  task_id: string;
  lab: string;
  name: string;
  points: number;
  hint: string;
  /** Set when the task finished with a verdict; a thrown error without a status means `error`. */
  status?: Status;
  message?: string;
  output?: string;
  evidence?: Record<string, unknown>;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    labTask?: LabTaskMeta;
  }
}
