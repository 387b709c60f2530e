import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import type { SandboxSettings } from '../../src/sandbox/run-learner.ts';
import { repositorySubmission, STEPS_FILE } from '../../src/submission/repository.ts';
import type { StepServices } from '../../src/submission/types.ts';

// Without the sandbox (what a machine without bubblewrap gets): this tests the submission, not the sandbox.
const sandbox: SandboxSettings = { support: { mode: 'none', reason: 'not under test here' }, uid: 61000, limits: loadConfig({}).limits, hidden: [], mounted: [] };
const services: StepServices = { dynamodbEndpoint: 'http://127.0.0.1:8000', postgresUrl: 'postgresql://postgres:password@127.0.0.1:5432/cruddur' };
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function folder(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function submission(root: string) {
  return repositorySubmission(root, { stepTimeoutMs: 20_000, outputLimitBytes: 100_000, cacheDir: folder('cruddur-labs-cache-'), sandbox });
}

describe('a learner repository as a submission', () => {
  it('runs a course-layout script in a private copy, with its arguments and the variables the lab gives it', async () => {
    const root = folder('cruddur-labs-repo-');
    const dir = path.join(root, 'backend-flask/bin/ddb');
    mkdirSync(dir, { recursive: true });
    const seed = path.join(dir, 'seed');
    writeFileSync(seed, '#!/bin/bash\necho "args: $*"\necho "handle: $SEED_MY_HANDLE"\necho "endpoint: $AWS_ENDPOINT_URL"\necho written > mark.txt\n');
    chmodSync(seed, 0o755);
    const repo = submission(root);
    try {
      expect(repo.kind).toBe('repository');
      expect(repo.has('seed')).toBe(true);
      expect(repo.has('scan')).toBe(false);
      expect(repo.missingReason('scan')).toContain('expected backend-flask/bin/ddb/scan');
      const run = await repo.perform('seed', services, ['andrewbrown'], { SEED_MY_HANDLE: 'bayko' });
      expect(run).toMatchObject({ step: 'seed', command: './bin/ddb/seed andrewbrown', exitCode: 0, timedOut: false });
      expect(run.stdout).toContain('args: andrewbrown');
      expect(run.stdout).toContain('handle: bayko');
      expect(run.stdout).toContain('endpoint: http://127.0.0.1:8000');
      // The step wrote into its private copy, not into the repository as handed in.
      expect(() => readFileSync(path.join(root, 'backend-flask/mark.txt'))).toThrow();
    } finally {
      repo.dispose?.();
    }
  }, 60_000);

  it("reports a steps file's failed setup command as the result of every step, naming it", async () => {
    const root = folder('cruddur-labs-steps-');
    writeFileSync(path.join(root, STEPS_FILE), JSON.stringify({ setup: 'echo installing; exit 3', steps: { scan: 'echo scanned' } }));
    const repo = submission(path.join(root, STEPS_FILE));
    try {
      expect(repo.kind).toBe('steps-file');
      expect(repo.has('seed')).toBe(false);
      expect(repo.missingReason('seed')).toContain('has no command for `seed`');
      const run = await repo.perform('scan', services);
      expect(run).toMatchObject({ step: 'scan', exitCode: 3, command: `echo installing; exit 3 (the setup command of ${STEPS_FILE})` });
      expect(run.stdout).toContain('installing');
      expect(run.stdout).not.toContain('scanned');
    } finally {
      repo.dispose?.();
    }
  }, 60_000);

  it('runs a steps file\'s commands beside it when it names no "cwd" and there is no backend-flask, and refuses a "cwd" that is not there', async () => {
    const root = folder('cruddur-labs-steps-');
    writeFileSync(path.join(root, STEPS_FILE), JSON.stringify({ steps: { scan: 'pwd; ls' } }));
    const repo = submission(root);
    try {
      const run = await repo.perform('scan', services);
      expect(run).toMatchObject({ exitCode: 0, command: 'pwd; ls' });
      expect(run.stdout).toContain(STEPS_FILE);
    } finally {
      repo.dispose?.();
    }
    writeFileSync(path.join(root, STEPS_FILE), JSON.stringify({ cwd: 'backend', steps: { scan: 'ls' } }));
    expect(() => submission(root)).toThrow('"cwd" (backend) is not a folder of the repository');
  }, 60_000);
});
