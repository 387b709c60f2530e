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
