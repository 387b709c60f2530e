// A grading worker's head start on its first repository (worker-main.ts): its test process, started ahead, starts
// the learner's resident interpreter while the services start, with the services the worker will have. The first
// lab finds it running (the same sandbox, environment and repository) instead of starting it.
import { loadConfig } from '../config/load-config.ts';
import { createSubmission } from '../submission/create-submission.ts';
import type { StepServices } from '../submission/types.ts';

export function warm(services: StepServices): void {
  createSubmission(loadConfig()).warmUp?.(services);
}
