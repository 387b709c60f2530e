import { lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chownTree } from '../../../src/sandbox/private-copy.ts';

const root = process.getuid?.() === 0;
const work = mkdtempSync(path.join(os.tmpdir(), 'chown-tree-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!root)('chownTree (needs root to give files away)', () => {
  it('gives every file, folder and symlink of the tree to the owner, and nothing a symlink points to', () => {
    const outside = path.join(work, 'outside.txt');
    writeFileSync(outside, 'not the learner\'s');
    const tree = path.join(work, 'tree');
    mkdirSync(path.join(tree, 'backend-flask', 'bin', 'ddb'), { recursive: true });
    writeFileSync(path.join(tree, 'backend-flask', 'bin', 'ddb', 'seed'), '#!/usr/bin/env python3\n');
    symlinkSync(outside, path.join(tree, 'link-out'));
    mkdirSync(path.join(tree, 'empty'));

    chownTree(tree, { uid: 61_999, gid: 61_998 });

    for (const p of ['', 'backend-flask', 'backend-flask/bin/ddb', 'backend-flask/bin/ddb/seed', 'link-out', 'empty']) {
      const stat = lstatSync(path.join(tree, p));
      expect([p, stat.uid, stat.gid]).toEqual([p, 61_999, 61_998]);
    }
    expect(statSync(outside).uid).toBe(0);
  });
});
