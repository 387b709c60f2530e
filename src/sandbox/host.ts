import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { SystemEntry } from './bwrap-args.ts';
import { probed } from './probe-cache.ts';

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
  return probed(`tools:${env.PATH ?? ''}`, () => findToolDirs(env));
}

function findToolDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs = new Set<string>();
  const python = spawnSync('python3', ['-c', 'import sys; print(sys.prefix); print(sys.base_prefix); print(sys.exec_prefix)'], { env, encoding: 'utf8', timeout: 15_000 });
  if (python.status === 0) for (const line of python.stdout.split('\n')) if (line.trim()) dirs.add(line.trim());
  const aws = spawnSync('bash', ['-c', 'command -v aws'], { env, encoding: 'utf8', timeout: 5_000 });
  if (aws.status === 0 && aws.stdout.trim()) dirs.add(path.dirname(aws.stdout.trim()));
  return [...dirs].filter((dir) => existsSync(dir)).sort();
}
