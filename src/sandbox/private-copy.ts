import { cpSync, lchownSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ServiceError } from '../errors.ts';
import { reaper } from '../services/reaper.ts';
import { removeTree } from './remove-tree.ts';

/** Folders a learner step never needs and that can be large: history and installed JavaScript packages. */
const SKIPPED = new Set(['.git', 'node_modules']);

/** A private, writable copy of a learner repository; `dispose` removes it. */
export interface PrivateCopy {
  dir: string;
  dispose(): void;
}

/**
 * Copies a repository into a fresh directory (symlinks stay symlinks, modes are kept), owned by `owner` when
 * given (the sandbox's unprivileged uid), so that learner code writes only to its own copy and never to the
 * repository it was handed in as, a classmate's, or the suite.
 */
export function makePrivateCopy(source: string, owner?: { uid: number; gid: number }): PrivateCopy {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-copy-'));
  reaper.trackDirectory(root);
  const dispose = (): void => {
    removeTree(root);
    reaper.untrackDirectory(root);
  };
  const dir = path.join(root, path.basename(source));
  try {
    cpSync(source, dir, { recursive: true, verbatimSymlinks: true, filter: (src) => !SKIPPED.has(path.basename(src)) || src === source });
    if (owner) chownTree(root, owner);
  } catch (error) {
    dispose();
    throw new ServiceError(`Could not make a private copy of ${source} to run its scripts in: ${(error as Error).message}`, { cause: error });
  }
  return { dir, dispose };
}

/**
 * Gives a tree to `owner`, symlinks themselves rather than what they point to (`chown -R -h`), in this process:
 * a `chown` child per copy cost a fork of the whole test process.
 */
export function chownTree(root: string, owner: { uid: number; gid: number }): void {
  lchownSync(root, owner.uid, owner.gid);
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const entryPath = path.join(root, entry.name);
    if (entry.isDirectory()) chownTree(entryPath, owner);
    else lchownSync(entryPath, owner.uid, owner.gid);
  }
}
