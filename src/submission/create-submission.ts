import type { LabConfig } from '../config/load-config.ts';
import { referenceSubmission } from './reference.ts';
import { repositorySubmission } from './repository.ts';
import { sandboxSettings } from './sandbox-settings.ts';
import type { Submission } from './types.ts';

/** The submission chosen by LAB_SUBMISSION: the reference solution unless a repository or steps file is named. */
export function createSubmission(config: LabConfig): Submission {
  if (config.submission === 'reference') return referenceSubmission();
  return repositorySubmission(config.submission, {
    stepTimeoutMs: config.stepTimeoutMs,
    outputLimitBytes: config.outputLimitBytes,
    cacheDir: config.cacheDir,
    sandbox: sandboxSettings(config),
  });
}
