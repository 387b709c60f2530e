import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCommit } from '../../../src/grader/git-info.ts';
import { tempDir } from '../../grader/fixtures.ts';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function repo(files: Record<string, string>): string {
  const dir = tempDir('git-info-');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('gitCommit', () => {
  it('reads a branch from its loose ref, or from packed-refs', () => {
    expect(gitCommit(repo({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${A}\n` }))).toBe(A);
    expect(gitCommit(repo({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/packed-refs': `# pack-refs\n${B} refs/heads/main\n` }))).toBe(B);
  });

  it('reads a detached HEAD and a worktree that points elsewhere', () => {
    expect(gitCommit(repo({ '.git/HEAD': `${A}\n` }))).toBe(A);
    const main = repo({ '.git/refs/heads/topic': `${B}\n`, '.git/worktrees/w/HEAD': 'ref: refs/heads/topic\n', '.git/worktrees/w/commondir': '../..\n' });
    const worktree = repo({ '.git': `gitdir: ${path.join(main, '.git/worktrees/w')}\n` });
    expect(gitCommit(worktree)).toBe(B);
  });

  it('is undefined outside git, for an unborn branch, and for a ref that leaves .git', () => {
    expect(gitCommit(repo({ 'README.md': 'x' }))).toBeUndefined();
    expect(gitCommit(repo({ '.git/HEAD': 'ref: refs/heads/main\n' }))).toBeUndefined();
    expect(gitCommit(repo({ '.git/HEAD': 'ref: refs/../../secret\n', secret: A }))).toBeUndefined();
  });
});
