import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { findExecutable } from '../executables.ts';
import type { SystemEntry } from './bwrap-args.ts';
import { probed, probedAsync } from './probe-cache.ts';
import { runProcess } from './run-process.ts';

/** Top-level directories a learner's scripts may need: programs, libraries, configuration, /opt tool caches. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];

/** The system directories present on this machine, symlinks (merged /usr) kept as symlinks. */
export function systemEntries(): SystemEntry[] {
  return SYSTEM_DIRS.filter((dir) => existsSync(dir)).map((dir) => {
    const stat = lstatSync(dir);
    return stat.isSymbolicLink() ? { path: dir, symlink: readlinkSync(dir) } : { path: dir };
  });
}

/**
 * The directories the python3 on `env.PATH` runs from (its prefix and base prefix, e.g. a pyenv version under
 * /root), and the AWS CLI's: the sandbox shows them read-only when they lie outside the system directories.
 */
export function toolDirs(env: NodeJS.ProcessEnv): string[] {
  return probed(toolsKey(env), () =>
    toolDirsFrom(spawnSync('python3', PYTHON_PREFIXES, { env, encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] }), awsCli(env)),
  );
}

/** `toolDirs` found without blocking, for the calls that follow. */
export async function probeToolDirs(env: NodeJS.ProcessEnv): Promise<string[]> {
  return probedAsync(toolsKey(env), async () => toolDirsFrom(await captured('python3', PYTHON_PREFIXES, env, 15_000), awsCli(env)));
}

const toolsKey = (env: NodeJS.ProcessEnv): string => `tools:${env.PATH ?? ''}`;
const PYTHON_PREFIXES = ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix); print(sys.exec_prefix)'];
/** The `aws` a step's shell would run: the first on its PATH. */
const awsCli = (env: NodeJS.ProcessEnv): string | undefined => findExecutable('aws', env.PATH ?? '');

/** What a probe printed, whichever way it ran. */
interface Captured {
  status: number | null;
  stdout: string;
}

/** A probe run as a child process that does not block this one. */
export async function captured(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Captured> {
  const outcome = await runProcess(file, args, { cwd: '/', env, timeoutMs, outputLimitBytes: 64 * 1024 });
  return { status: outcome.spawnError ? null : outcome.exitCode, stdout: outcome.stdout };
}

function toolDirsFrom(python: Captured, aws: string | undefined): string[] {
  const dirs = new Set<string>();
  if (python.status === 0) for (const line of python.stdout.split('\n')) if (line.trim()) dirs.add(line.trim());
  if (aws) dirs.add(path.dirname(aws));
  return [...dirs].filter((dir) => existsSync(dir)).sort();
}
