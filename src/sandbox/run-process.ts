import { spawn } from 'node:child_process';
import { reaper } from '../services/reaper.ts';

export interface ProcessOutcome {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  outputLimited: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all (a missing program, or the sandbox failed to set up). */
  spawnError?: string;
  /** Set when a sandbox limit stopped it: which one, in words for the learner. */
  limit?: string;
  /** CPU time (user + system) of the process and the children it waited for, where the runner measured it. */
  cpuMs?: number;
}

/**
 * Runs untrusted code: its own process group (so the whole tree can be killed), a timeout, and a cap on
 * captured output. Never throws for the child's failures; they are in the outcome.
 */
export function runProcess(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; outputLimitBytes: number },
): Promise<ProcessOutcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const group = child.pid ? -child.pid : undefined;
    reaper.trackProcess(group, 'SIGKILL');
    const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
    let captured = 0;
    let timedOut = false;
    let outputLimited = false;
    let spawnError: string | undefined;

    const killTree = (): void => {
      if (group === undefined) return;
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killTree();
    }, options.timeoutMs);

    const collect = (which: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (outputLimited) return;
      const room = options.outputLimitBytes - captured;
      if (chunk.length > room) {
        chunks[which].push(chunk.subarray(0, Math.max(room, 0)));
        captured = options.outputLimitBytes;
        outputLimited = true;
        killTree();
        return;
      }
      chunks[which].push(chunk);
      captured += chunk.length;
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.once('error', (error) => {
      spawnError = error.message;
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Children of the step that outlived it (a backgrounded server) go with it.
      killTree();
      reaper.untrackProcess(group);
      resolve({
        exitCode: code,
        signal,
        timedOut,
        outputLimited,
        durationMs: Date.now() - started,
        stdout: Buffer.concat(chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(chunks.stderr).toString('utf8'),
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}
