import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { materialize, tempDir } from '../grader/fixtures.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

/** `npm run labs` as a learner runs it, with its output captured (not a terminal: no colours). */
function labs(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/labs.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LAB_BACKEND: 'embedded', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
}

describe('npm run labs', () => {
  it('prints a task list and a total for the reference, with vitest\'s output in labs.log', () => {
    const results = tempDir('labs-command-');
    const run = labs(['--labs', '01-dynamodb-local'], { LAB_RESULTS_DIR: results });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('  ✓ 1  DynamoDB Local answers ListTables  1/1');
    expect(run.stdout).toMatch(/^PASS {2}3\/3 points {2}\(3 passed, 0 failed\)$/m);
    expect(run.stdout.includes(String.fromCharCode(27))).toBe(false);
    const log = readFileSync(path.join(results, 'labs.log'), 'utf8');
    expect(log).toMatch(/Test Files/);
    // A file: no colour codes.
    expect(log.includes(String.fromCharCode(27))).toBe(false);
  });

  it("fails with what to fix for a learner's repository, and no stack frames of the suite", () => {
    const results = tempDir('labs-command-');
    const repo = materialize('fail/compose-wrong-port', tempDir('labs-command-repo-'));
    const run = labs(['--labs', '01-dynamodb-local'], { LAB_RESULTS_DIR: results, LAB_SUBMISSION: repo });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('  ✗ 1  DynamoDB Local answers ListTables  0/1');
    expect(run.stdout).toContain('publishes port 8000 on host port 8001');
    expect(run.stdout).toContain('See labs/week-05/01-dynamodb-local/README.md#task-1.');
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  it('refuses a LAB_SUBMISSION that is missing or a folder of repositories, before starting anything', () => {
    const missing = labs([], { LAB_SUBMISSION: '/no/such/repository' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('LAB_SUBMISSION=/no/such/repository does not exist. Point it at a learner repository or a cruddur-labs.json file.');
    const classDir = tempDir('labs-command-class-');
    materialize('pass/course-final', classDir);
    mkdirSync(path.join(classDir, 'alice', '.git'), { recursive: true });
    const folder = labs([], { LAB_SUBMISSION: classDir });
    expect(folder.status).toBe(2);
    expect(folder.stderr).toContain(`LAB_SUBMISSION=${classDir} is a folder of repositories (alice, pass--course-final), not a repository: point it at one of them`);
    expect(folder.stderr + folder.stdout).not.toMatch(/starting DynamoDB Local/);
  });

  it('refuses an unknown lab with the list of labs', () => {
    const run = labs(['--labs', '99-nope'], {});
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown lab\(s\) 99-nope; the labs are 01-dynamodb-local, /);
  });
});
