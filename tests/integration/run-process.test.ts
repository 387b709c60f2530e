import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { residentProcess, runProcess } from '../../src/sandbox/run-process.ts';

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

describe('residentProcess: a process that serves one step after another', () => {
  // A resident as the host expects one: `ready`, then per order a step, a random mark on fd 1 and 2, and `done`.
  const resident = `echo ready >&3
while read -r order <&3; do
  case $order in
    sleep*) $order ;;
    print*) printf 'out %s' "\${order#print }"; printf 'err' >&2 ;;
    flood) yes | head -c 100000 ;;
    die) kill -9 $$ ;;
  esac
  mark=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n')
  printf %s "$mark"; printf %s "$mark" >&2
  echo "done {\\"exitCode\\": 0, \\"cpuMs\\": 1, \\"mark\\": \\"$mark\\", \\"clean\\": true}" >&3
done`;
  const limits = { timeoutMs: 1_500, outputLimitBytes: 1000 };

  it("cuts each step's output at its mark; it waits between steps without a timeout", async () => {
    const process = residentProcess('bash', ['-c', resident], options);
    expect(await process.ready).toBe('ready');
    const first = await process.step('print one\n', limits);
    expect(first.outcome).toMatchObject({ exitCode: 0, stdout: 'out one', stderr: 'err', timedOut: false, outputLimited: false, cpuMs: 1 });
    expect(first.done).toEqual({ exitCode: 0, cpuMs: 1, clean: true });
    // Longer than a step's timeout: no step runs.
    await new Promise((resolve) => setTimeout(resolve, 1_700));
    const second = await process.step('print two\n', limits);
    expect(second.outcome).toMatchObject({ stdout: 'out two', stderr: 'err' });
    expect(process.ended).toBe(false);
    await process.end();
    expect(process.ended).toBe(true);
  });

  it('ends, with its group, when a step times out, floods its output or kills it, and says how the step ended', async () => {
    const slow = residentProcess('bash', ['-c', resident], options);
    await slow.ready;
    const timedOut = await slow.step('sleep 30\n', limits);
    expect(timedOut).toMatchObject({ outcome: { timedOut: true, signal: 'SIGKILL' } });
    expect(timedOut.done).toBeUndefined();
    expect(slow.ended).toBe(true);
    const flooding = residentProcess('bash', ['-c', resident], options);
    await flooding.ready;
    const flooded = await flooding.step('flood\n', limits);
    expect(flooded.outcome.outputLimited).toBe(true);
    expect(flooded.outcome.stdout.length).toBeLessThanOrEqual(1000 + 64);
    const dying = residentProcess('bash', ['-c', resident], options);
    await dying.ready;
    const died = await dying.step('die\n', limits);
    expect(died.outcome).toMatchObject({ signal: 'SIGKILL', timedOut: false });
    expect(died.done).toBeUndefined();
    expect(dying.ended).toBe(true);
  });
});
