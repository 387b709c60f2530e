import { errorMessage } from '../errors.ts';
import type { Script, ScriptContext } from './script-context.ts';

/**
 * Turns a script body that throws on failure into a `Script` that resolves to an exit code: 0 when the body
 * returns normally, its own code when it returns one, 1 when it throws. The error and its causes are printed
 * to stderr, one `caused by:` line each, because a learner reading the journal needs the root cause
 * (ECONNREFUSED, ResourceNotFoundException) and not only our summary.
 */
export function defineScript(name: string, body: (ctx: ScriptContext) => Promise<number | void>): Script {
  return async (ctx) => {
    try {
      return (await body(ctx)) ?? 0;
    } catch (error) {
      ctx.err(`${name}: ${errorMessage(error)}`);
      for (const cause of causes(error)) ctx.err(`  caused by: ${cause}`);
      return 1;
    }
  };
}

function causes(error: unknown): string[] {
  const found: string[] = [];
  let current: unknown = error instanceof Error ? error.cause : undefined;
  // Bounded: a cause chain can be cyclic in principle.
  while (current !== undefined && found.length < 5) {
    const label = current instanceof Error && current.name !== 'Error' ? `${current.name}: ` : '';
    found.push(`${label}${errorMessage(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return found;
}
