import type { DatabaseFiles } from '../course/prepare-users.ts';
import type { ProcessOutcome } from '../sandbox/run-process.ts';

/** The steps of the week a submission can perform. */
export const STEPS = ['schema-load', 'seed', 'scan', 'list-tables', 'drop', 'get-conversation', 'list-conversations'] as const;
export type StepName = (typeof STEPS)[number];

/** Where the services are, as a step sees them. */
export interface StepServices {
  dynamodbEndpoint: string;
  postgresUrl: string;
}

/** One learner step, from the process that ran it to the evidence the journal shows. */
export interface StepRun extends ProcessOutcome {
  /** The step, or `setup` for a steps file's setup command. */
  step: StepName | 'setup';
  /** The command as a person would type it (for messages and the journal). */
  command: string;
}

/** Who performs each step: the reference solution or a learner's scripts. Labs never know which. */
export interface Submission {
  kind: 'reference' | 'repository' | 'steps-file';
  /** A learner's repository folder (absent for the reference solution). */
  root?: string;
  describe(): string;
  /** The repository's own Postgres schema and seed, loaded instead of the course's users when present. */
  database?: DatabaseFiles;
  /** Whether this submission has the step at all; if not, `missingReason` says what was expected. */
  has(step: StepName): boolean;
  missingReason(step: StepName): string;
  /** `env` adds variables for the step (the reference seed's handles, for example). */
  perform(step: StepName, services: StepServices, args?: string[], env?: Record<string, string>): Promise<StepRun>;
  /** Gets ready to run its steps soon (a learner repository starts its resident Python interpreter in the sandbox). */
  warmUp?(services: StepServices): void;
  /** Removes what the submission made to run its steps (a learner repository's private copy). */
  dispose?(): void;
}
