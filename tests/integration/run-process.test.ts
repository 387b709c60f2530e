import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdProcess, runProcess } from '../../src/sandbox/run-process.ts';

const work = mkdtempSync(path.join(os.tmpdir(), 'run-process-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const options = { cwd: work, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs: 20_000, outputLimitBytes: 1_000_000 };

/** Running, not a zombie: an orphan that was killed waits for whatever adopted it (here maybe a PID 1 that never reaps). */
const alive = (pid: number): boolean => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** Waits a little for a killed process to be gone (the kernel reaps it asynchronously). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !alive(pid);
}

describe('runProcess: how learner code runs under the sandbox, and where there is none', () => {
  it('keeps the exit code, stdout and stderr apart', async () => {
    const run = await runProcess('bash', ['-c', 'echo out; echo err >&2; exit 3'], options);
    expect(run).toMatchObject({ exitCode: 3, signal: null, timedOut: false, outputLimited: false, stdout: 'out\n', stderr: 'err\n' });
    expect(run.spawnError).toBeUndefined();
  });

  it('reports a program that cannot be started instead of throwing', async () => {
    const run = await runProcess(path.join(work, 'no-such-program'), [], options);
    expect(run.spawnError).toMatch(/ENOENT/);
    expect(run.exitCode).not.toBe(0);
  });

  it('stops a step at its timeout, with the processes it started in the background', async () => {
    const pidFile = path.join(work, 'timeout.pid');
    const run = await runProcess('bash', ['-c', `sleep 61 >/dev/null 2>&1 & echo $! > ${pidFile}; sleep 62`], { ...options, timeoutMs: 500 });
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe('SIGKILL');
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });

  it('ends what a step left running when it exits (a backgrounded server)', async () => {
    const run = await runProcess('bash', ['-c', 'sleep 63 >/dev/null 2>&1 & echo $!'], options);
    expect(run.exitCode).toBe(0);
    expect(await gone(Number(run.stdout.trim()))).toBe(true);
  });

  it('caps the output it keeps and stops a step that prints without end', async () => {
    const run = await runProcess('yes', ['flood'], { ...options, outputLimitBytes: 64 * 1024 });
    expect(run.outputLimited).toBe(true);
    expect(run.timedOut).toBe(false);
    expect(Buffer.byteLength(run.stdout) + Buffer.byteLength(run.stderr)).toBe(64 * 1024);
    expect(run.stdout.startsWith('flood\nflood\n')).toBe(true);
  });

  it('passes only the environment it is given', async () => {
    const run = await runProcess('bash', ['-c', 'echo "${CONNECTION_URL:-unset} ${HOME:-nohome}"'], { ...options, env: { ...options.env, CONNECTION_URL: 'postgresql://x' } });
    expect(run.stdout).toBe('postgresql://x nohome\n');
  });
});

describe('holdProcess: a process started ahead of its work', () => {
  const waiter = 'echo ready >&3; read -r order <&3; echo "told: $order" >&3; exec 3>&-; echo "ran $order"; sleep "${order#sleep }"';

  it('waits for its order on fd 3, answers there, and times out from the order, not from its start', async () => {
    const held = holdProcess('bash', ['-c', waiter], { ...options, timeoutMs: 400 });
    for (let i = 0; i < 500 && held.told === ''; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(held.told).toBe('ready\n');
    // Longer than its timeout: the timeout is not running yet.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(held.ended).toBe(false);
    const run = await held.begin('sleep 0.1\n');
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, stdout: 'ran sleep 0.1\n' });
    expect(held.told).toBe('ready\ntold: sleep 0.1\n');
    const slow = holdProcess('bash', ['-c', waiter], { ...options, timeoutMs: 400 });
    expect(await slow.begin('sleep 30\n')).toMatchObject({ timedOut: true, signal: 'SIGKILL' });
  });

  it('ends with its process group when it is not needed, and says that it ended', async () => {
    const held = holdProcess('bash', ['-c', `sleep 64 & echo $! >&3; wait`], options);
    for (let i = 0; i < 100 && !held.told; i++) await new Promise((r) => setTimeout(r, 20));
    const child = Number(held.told.trim());
    expect(alive(child)).toBe(true);
    await held.end();
    expect(held.ended).toBe(true);
    expect(await gone(child)).toBe(true);
  });
});
