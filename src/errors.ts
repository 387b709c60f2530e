/**
 * Errors say what happened, whose fault it is and what to do next.
 * `fault` drives the result status: `learner` -> fail, anything else -> error (never costs points).
 */
export type Fault = 'learner' | 'setup' | 'suite';

export class LabError extends Error {
  readonly fault: Fault;
  constructor(message: string, fault: Fault, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.fault = fault;
  }
}

/** A configuration variable is wrong: the user's setup, fixable by changing the environment. */
export class ConfigError extends LabError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'setup', options);
  }
}

/** A service could not be started or reached: we could not verify. */
export class ServiceError extends LabError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'setup', options);
  }
}

/**
 * An optional tool is not on this machine (e.g. Chromium for a screenshot): the task reports `error` with
 * this message, and the test run skips it instead of failing, so a machine without the tool still passes.
 */
export class ToolUnavailable extends LabError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'setup', options);
  }
}

/** The learner's step is wrong: the task fails with this message. */
export class LearnerFailure extends LabError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 'learner', options);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The AWS error name (`ResourceNotFoundException`, ...) of an SDK error, if it has one. */
export function awsErrorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
