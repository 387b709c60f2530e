/**
 * What a reference script may see of the world. Scripts never read `process.env`, `process.argv` or the
 * console themselves: the lab suite runs them in-process with its own environment and captures their output,
 * and the CLI (`cli.ts`) wires the same interface to the real process.
 */
export interface ScriptContext {
  /** Arguments after the script name, e.g. `['--table', 'my-table']`. */
  args: string[];
  /** The environment the script runs in (endpoints, `CONNECTION_URL`, handles). */
  env: Record<string, string | undefined>;
  /** Prints one line of regular output (stdout). */
  out(line: string): void;
  /** Prints one line of diagnostics (stderr). */
  err(line: string): void;
}

/** A reference script: does its work and resolves to its exit code (0 on success). */
export type Script = (ctx: ScriptContext) => Promise<number>;

/** A context that records output in memory, for running a script in-process. */
export interface CapturedContext {
  ctx: ScriptContext;
  stdout: string[];
  stderr: string[];
}

/** Builds a context whose output is kept in `stdout` / `stderr` (one entry per line). */
export function captureContext(args: string[], env: Record<string, string | undefined>): CapturedContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    ctx: {
      args: [...args],
      env: { ...env },
      out: (line) => stdout.push(line),
      err: (line) => stderr.push(line),
    },
    stdout,
    stderr,
  };
}
