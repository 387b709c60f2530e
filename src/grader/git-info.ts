import { spawnSync } from 'node:child_process';

/** The commit a repository is at, or undefined when it is not a git checkout. */
export function gitCommit(dir: string): string | undefined {
  const result = spawnSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8', timeout: 10_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}
