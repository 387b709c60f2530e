import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import { tempDir } from '../grader/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

function journal(args: string[]) {
  return spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/journal.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
}

describe('npm run journal --out', () => {
  it("refuses a folder that holds someone else's files before running anything, and leaves them as they were", () => {
    const out = tempDir('journal-out-foreign-');
    writeFileSync(path.join(out, 'week05.md'), 'my own week 5 notes\n');
    const run = journal(['--from', path.join(out, 'no-results.json'), '--out', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`journal: --out ${out} already holds files the suite did not write (week05.md)`);
    expect(readFileSync(path.join(out, 'week05.md'), 'utf8')).toBe('my own week 5 notes\n');
    expect(existsSync(path.join(out, 'week05.html'))).toBe(false);
  });
});
