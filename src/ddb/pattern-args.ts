import { UsageError } from './script-args.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a message group uuid argument before any request, so that a typo gets a usage message. */
export function checkGroupUuid(value: string, usage: string): string {
  if (!UUID.test(value)) throw new UsageError(`${JSON.stringify(value)} is not a message group uuid. Usage: ${usage}`);
  return value.toLowerCase();
}

/**
 * Splits the positional arguments of an access-pattern script: those containing `prod` select real AWS, as in
 * the course's scripts; the rest are the script's own (a group uuid, a handle). A handle containing "prod"
 * therefore cannot be given, which is safer than guessing.
 */
export function splitModeArgs(positional: readonly string[]): { mode: string[]; rest: string[] } {
  return {
    mode: positional.filter((arg) => arg.includes('prod')),
    rest: positional.filter((arg) => !arg.includes('prod')),
  };
}
