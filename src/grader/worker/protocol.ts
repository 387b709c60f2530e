import type { RunResults } from '../../results/model.ts';
import type { ServiceFacts } from '../../services/types.ts';

/** One repository for a grading worker. */
export interface GradeJob {
  /** Position in the class, so that results come back in a deterministic order. */
  index: number;
  /** The repository as handed in (the worker grades a private copy of it). */
  repository: string;
  /** Where its reports go. */
  outDir: string;
  /** Lab ids to run; all when omitted. */
  only?: string[];
  /** Host paths its code must not see besides its own copy (the class folder). */
  hidden: string[];
}

export type ToWorker = { type: 'grade'; job: GradeJob } | { type: 'stop' };

export type FromWorker =
  | { type: 'ready'; services: ServiceFacts }
  | { type: 'graded'; index: number; results: RunResults }
  | { type: 'broken'; message: string };
