import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const HASH = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The git directory of a checkout: `.git`, or where a `.git` file (worktree, submodule) points. */
function gitDir(dir: string): string | undefined {
  const dotGit = path.join(dir, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const pointer = read(dotGit)?.match(/^gitdir:\s*(.+)$/m)?.[1]?.trim();
  return pointer ? path.resolve(dir, pointer) : undefined;
}

/**
 * The commit a repository is at, or undefined when it is not a git checkout. Read from the files of `.git`
 * (HEAD, the ref it names, packed-refs): running git in a learner's repository would obey its `.git/config`,
 * which may name programs to run.
 */
export function gitCommit(dir: string): string | undefined {
  const git = gitDir(dir);
  if (!git) return undefined;
  const head = read(path.join(git, 'HEAD'))?.trim();
  if (!head) return undefined;
  if (HASH.test(head)) return head;
  const ref = head.match(/^ref:\s*(refs\/\S+)$/)?.[1];
  if (!ref || ref.split('/').includes('..')) return undefined;
  // A worktree keeps its refs in the common directory.
  const common = read(path.join(git, 'commondir'))?.trim();
  const dirs = [git, ...(common ? [path.resolve(git, common)] : [])];
  for (const base of dirs) {
    const loose = read(path.join(base, ref))?.trim();
    if (loose && HASH.test(loose)) return loose;
    const packed = read(path.join(base, 'packed-refs'))
      ?.split('\n')
      .find((line) => line.endsWith(` ${ref}`))
      ?.split(' ')[0];
    if (packed && HASH.test(packed)) return packed;
  }
  return undefined;
}
