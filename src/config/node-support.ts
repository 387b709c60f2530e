/**
 * AWS SDK releases after the first week of January 2027 need Node 22 or newer. The suite supports Node 20, 22 and
 * 24 (package.json engines; CI proves 20 and 24). On Node 20 the SDK prints a nine-line warning in every process
 * that loads it, in the middle of a learner's verdicts; the commands people run say it once, in one line, with
 * what to do, and the SDK's own copy is turned off for their child processes.
 */

/** The oldest Node the AWS SDK keeps releasing for. */
export const SDK_MIN_NODE_MAJOR = 22;

/** What to tell someone on an older Node, or undefined on a supported one. */
export function nodeSupportNote(version: string = process.versions.node): string | undefined {
  const major = Number(version.split('.')[0]);
  if (!Number.isInteger(major) || major >= SDK_MIN_NODE_MAJOR) return undefined;
  return (
    `Node ${version}: AWS SDK releases after January 2027 need Node ${SDK_MIN_NODE_MAJOR} or newer. ` +
    'The suite runs on Node 22 and 24 too: upgrade Node to keep receiving SDK fixes.'
  );
}

/** Turns off the SDK's per-process warning (for the reference scripts, whose output is a step's evidence). */
export function silenceSdkNodeWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** Says it once per command (child processes inherit LAB_NODE_NOTE_SHOWN), and silences the SDK's copies. */
export function announceNodeSupport(env: NodeJS.ProcessEnv = process.env, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): void {
  const note = nodeSupportNote();
  if (note && env.LAB_NODE_NOTE_SHOWN === undefined) {
    write(`note: ${note}`);
    env.LAB_NODE_NOTE_SHOWN = '1';
  }
  silenceSdkNodeWarning(env);
}
