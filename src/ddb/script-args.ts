import { MESSAGES_TABLE } from '../course/messages-table.ts';
import { ConfigError } from '../errors.ts';

/** The course's single table; every script defaults to it. */
export const DEFAULT_TABLE = MESSAGES_TABLE;

/** A script was called with arguments it does not understand: the caller's fault, fixed by the usage line. */
export class UsageError extends ConfigError {}

/** Arguments of a script after `--table` has been taken out. */
export interface ScriptArgs {
  /** The value of `--table NAME` / `--table=NAME`, else DEFAULT_TABLE. */
  table: string;
  /** Everything else, in order. These are the mode arguments (`prod`). */
  positional: string[];
}

/**
 * Splits a script's arguments. The only option is `--table` (unless `tableOption` is false, for scripts
 * that take no table or take it positionally); any other `--flag` is a usage error, so that a typo never
 * silently falls through to the default table.
 */
export function parseScriptArgs(args: readonly string[], usage: string, options: { tableOption?: boolean } = {}): ScriptArgs {
  const tableOption = options.tableOption ?? true;
  let table: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (tableOption && (arg === '--table' || arg.startsWith('--table='))) {
      const value = arg === '--table' ? args[++i] : arg.slice('--table='.length);
      if (value === undefined || value === '' || value.startsWith('--')) {
        throw new UsageError(`--table needs a table name. Usage: ${usage}`);
      }
      table = checkTableName(value, usage);
    } else if (arg.startsWith('--')) {
      throw new UsageError(`Unknown option ${JSON.stringify(arg)}. Usage: ${usage}`);
    } else {
      positional.push(arg);
    }
  }
  return { table: table ?? DEFAULT_TABLE, positional };
}

/**
 * Checks DynamoDB's table name rules (3 to 255 of a-z A-Z 0-9 _ - .) before any request, so that a bad name
 * gets a message naming the rule instead of a ValidationException.
 */
export function checkTableName(name: string, usage: string): string {
  if (!/^[A-Za-z0-9_.-]{3,255}$/.test(name)) {
    throw new UsageError(
      `${JSON.stringify(name)} is not a valid DynamoDB table name: use 3 to 255 letters, digits, "_", "-" or ".". Usage: ${usage}`,
    );
  }
  return name;
}

/**
 * Checks that the positional arguments are only mode arguments (`prod`, as the course passed it) and
 * returns them. Anything else is most likely a misplaced table name, which deserves a usage message.
 */
export function modeArgs(positional: readonly string[], usage: string): string[] {
  const unexpected = positional.find((arg) => !arg.includes('prod'));
  if (unexpected !== undefined) throw new UsageError(`Unexpected argument ${JSON.stringify(unexpected)}. Usage: ${usage}`);
  return [...positional];
}
