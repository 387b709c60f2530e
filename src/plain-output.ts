/**
 * `env` for a child whose output goes to a file (labs.log): no colour codes. vitest's colours (tinyrainbow) turn
 * on whenever FORCE_COLOR is set, even to 0, so it is removed, and NO_COLOR, which every colour library reads, is set.
 */
export function plainOutputEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _forced, ...rest } = env;
  return { ...rest, NO_COLOR: '1' };
}
