import { spawn } from 'node:child_process';
import net from 'node:net';
import { utimesSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { learnerToolsMissing, materialize, tempDir } from './fixtures.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const missing = learnerToolsMissing();

const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe.skipIf(missing !== undefined)('npm run grade -- --watch', () => {
  it('verifies again only the labs whose script was saved, answers `a` and `q`, and leaves nothing running', async () => {
    const repo = materialize('pass/course-final', tempDir('cruddur-watch-'));
    const out = tempDir('cruddur-watch-out-');
    const child = spawn(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/grade.ts'), repo, '--out', out, '--watch', '--labs', '03-seed,04-scan'], {
      cwd: ROOT,
      env: { ...process.env, LAB_BACKEND: 'embedded', LAB_STEP_TIMEOUT_MS: '30000' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const verdicts = (): string[] => stderr.split('\n').filter((line) => /verified in/.test(line));
    const until = async (count: number): Promise<void> => {
      const deadline = Date.now() + 120_000;
      while (verdicts().length < count) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no verdict ${count}:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await until(1);
      expect(verdicts()[0]).toMatch(/\[watch\] 03-seed, 04-scan verified in/);
      expect(stdout).toMatch(/PASS {2}12\/12 points/);
      // Saving the scan script verifies the scan lab again, and only it.
      utimesSync(path.join(repo, 'backend-flask/bin/ddb/scan'), new Date(), new Date());
      await until(2);
      expect(verdicts()[1]).toMatch(/\[watch\] 04-scan verified in [\d.]+ s after the save/);
      child.stdin.write('a');
      await until(3);
      expect(verdicts()[2]).toMatch(/\[watch\] 03-seed, 04-scan verified in/);
      child.stdin.write('q');
      const code = await new Promise((resolve) => child.once('exit', resolve));
      expect(code).toBe(0);
      // Its DynamoDB Local (the course's port 8000) is gone with it.
      expect(await portOpen(8000)).toBe(false);
      expect(stdout + stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 5 * 60_000);
});
