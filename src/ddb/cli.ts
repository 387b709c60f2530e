import '../config/quiet-sdk.ts';
import { dbSetup } from '../pg/db-setup.ts';
import type { Script, ScriptContext } from './script-context.ts';
import { REFERENCE_SCRIPTS } from './scripts.ts';

/**
 * Runs a reference script from the command line (`npm run ddb:<script> -- [args]`, `npm run db:setup`), with the real
 * environment and console. The exit code is set rather than forced, so buffered output is never cut off.
 */
const CLI_SCRIPTS: Record<string, Script> = { ...REFERENCE_SCRIPTS, 'db-setup': dbSetup };

const [name, ...args] = process.argv.slice(2);
// hasOwn: a name such as `toString` must not reach Object.prototype.
const script = name !== undefined && Object.hasOwn(CLI_SCRIPTS, name) ? CLI_SCRIPTS[name] : undefined;
if (script === undefined) {
  const problem = name === undefined ? 'No script named.' : `Unknown script ${JSON.stringify(name)}.`;
  console.error(`${problem} Usage: npm run ddb:<script> -- [args] (db-setup: npm run db:setup)\nScripts: ${Object.keys(CLI_SCRIPTS).join(', ')}`);
  process.exitCode = 1;
} else {
  const ctx: ScriptContext = {
    args,
    env: process.env,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
  process.exitCode = await script(ctx);
}
