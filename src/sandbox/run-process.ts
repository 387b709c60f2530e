import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
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

export interface ProcessOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputLimitBytes: number;
}

/**
 * A process started ahead of its work (a warm interpreter waiting for its order): it reads its order on fd 3, a
 * socket of its own, and may answer on it; its stdin is /dev/null as any learner process's (a socket there would
 * make bash read the bashrc files, as it does for a remote shell). Its timeout runs from `begin`, not its start.
 */
export interface HeldProcess {
  /** Whether it has exited already (it died while it waited). */
  readonly ended: boolean;
  /** What it wrote on fd 3 so far. */
  readonly told: string;
  /** Gives it its order (on fd 3, then shut) and starts its timeout; resolves when it and its group are gone. */
  begin(order: string): Promise<ProcessOutcome>;
  /** Ends it and its process group; resolves when it is gone. */
  end(): Promise<void>;
}

/**
 * Runs untrusted code: its own process group (so the whole tree can be killed), a timeout, and a cap on
 * captured output. Never throws for the child's failures; they are in the outcome.
 */
export function runProcess(file: string, args: string[], options: ProcessOptions): Promise<ProcessOutcome> {
  return watched(file, args, options, false).begin();
}

/** Starts `file` now and holds it: see HeldProcess. */
export function holdProcess(file: string, args: string[], options: ProcessOptions): HeldProcess {
  const child = watched(file, args, options, true);
  return {
    get ended() {
      return child.ended;
    },
    get told() {
      return child.told;
    },
    begin: (order) => child.begin(order),
    end: async () => {
      child.kill();
      await child.closed;
    },
  };
}

function watched(file: string, args: string[], options: ProcessOptions, held: boolean) {
  let started = Date.now();
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: held ? ['ignore', 'pipe', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe'] });
  const group = child.pid ? -child.pid : undefined;
  reaper.trackProcess(group, 'SIGKILL');
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let captured = 0;
  let timedOut = false;
  let outputLimited = false;
  let spawnError: string | undefined;
  let ended = false;
  let told = '';
  let timer: NodeJS.Timeout | undefined;

  const kill = (): void => {
    if (group === undefined) return;
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
  const collect = (which: 'stdout' | 'stderr') => (chunk: Buffer) => {
    if (outputLimited) return;
    const room = options.outputLimitBytes - captured;
    if (chunk.length > room) {
      chunks[which].push(chunk.subarray(0, Math.max(room, 0)));
      captured = options.outputLimitBytes;
      outputLimited = true;
      kill();
      return;
    }
    chunks[which].push(chunk);
    captured += chunk.length;
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const channel = child.stdio[3] as Duplex | null | undefined;
  channel?.on('data', (chunk: Buffer) => {
    told += chunk.toString('utf8');
  });
  // A held process that died has closed its end: writing its order then is no error of ours.
  channel?.on('error', () => {});
  child.once('error', (error) => {
    spawnError = error.message;
  });
  // A held process waits without keeping this one alive (a test process ends with its spare); its work does.
  const handles = [child, ...child.stdio] as Array<{ ref?: () => void; unref?: () => void } | null>;
  if (held) for (const handle of handles) handle?.unref?.();
  const closed = new Promise<ProcessOutcome>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      if (timer) clearTimeout(timer);
      // Children of the step that outlived it (a backgrounded server) go with it.
      kill();
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
  return {
    get ended() {
      return ended;
    },
    get told() {
      return told;
    },
    closed,
    kill,
    begin(order?: string): Promise<ProcessOutcome> {
      if (!ended) {
        if (held) for (const handle of handles) handle?.ref?.();
        started = Date.now();
        timer = setTimeout(() => {
          timedOut = true;
          kill();
        }, options.timeoutMs);
        if (order !== undefined) channel?.end(order);
      }
      return closed;
    },
  };
}
