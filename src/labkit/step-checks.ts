import { LearnerFailure } from '../errors.ts';
import type { StepRun } from '../submission/types.ts';
import { lastLines } from './trim.ts';

/** Lines where bash reports that the script itself is broken, although it may still exit 0. */
const SHELL_ERROR = /^.*: line \d+: .*(?:command not found|syntax error.*|unexpected EOF.*|bad substitution|No such file or directory)$/m;

/**
 * Why a step run is not a success, in words a learner can act on; undefined when it succeeded.
 * A step succeeds when it exits 0 in time and bash reported no error in its script.
 */
export function stepProblem(run: StepRun, timeoutMs?: number): string | undefined {
  const cmd = `\`${run.command}\``;
  if (run.limit) return `${cmd} was stopped by the sandbox: ${run.limit}`;
  if (run.timedOut) {
    const secs = timeoutMs ? ` after ${Math.round(timeoutMs / 1000)} s` : '';
    return `${cmd} timed out${secs} and was stopped. Does it wait for input, loop forever, or connect to a host that does not answer (e.g. \`db\` instead of localhost)?`;
  }
  if (run.outputLimited) {
    return `${cmd} printed more output than the grader keeps and was stopped. Print each item once, not in an endless loop.`;
  }
  const stderr = run.stderr;
  if ((run.exitCode === 126 || run.exitCode === 127) && /bad interpreter|cannot execute: required file not found/i.test(stderr)) {
    return `${cmd} has a broken shebang line (${lastLines(stderr, 1)}). The first line must be e.g. \`#!/usr/bin/env python3\` or \`#!/usr/bin/env bash\`.`;
  }
  if (run.exitCode === 126 && /Permission denied/i.test(stderr)) {
    return `${cmd} is not executable. Run \`chmod u+x\` on it and commit the mode (\`git update-index --chmod=+x <file>\`).`;
  }
  if (run.exitCode !== 0 && /127\.0\.0\.1:9\b/.test(stderr + run.stdout)) {
    return (
      `${cmd} tried to reach a host outside this machine (real AWS?) and was stopped: the labs only let scripts talk to ` +
      "DynamoDB Local and Postgres. Use `endpoint_url='http://localhost:8000'` unless the first argument is prod."
    );
  }
  if (run.exitCode !== 0) {
    const how = run.exitCode === null ? `was killed by ${run.signal ?? 'a signal'}` : `exited with code ${run.exitCode}`;
    const tail = lastLines(stderr || run.stdout, 3);
    return `${cmd} ${how}.${tail ? ` Last lines of its output:\n${tail}` : ''}`;
  }
  const shellError = stderr.match(SHELL_ERROR);
  if (shellError) {
    return `${cmd} exited 0, but bash reported an error in the script: \`${shellError[0].trim()}\`. Check that line (a space after a line-continuation \`\\\`, or a stray assignment like \`VAR= --flag\`).`;
  }
  return undefined;
}

/** Throws a LearnerFailure when the step did not succeed. */
export function assertStepSucceeded(run: StepRun, see: string, timeoutMs?: number): void {
  const problem = stepProblem(run, timeoutMs);
  if (problem) throw new LearnerFailure(`${problem}\nSee ${see}.`);
}
