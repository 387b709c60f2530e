import { spawn } from 'node:child_process';
import type { Duplex } from 'node:stream';
import { reaper } from '../services/reaper.ts';
import { closeInheritedDescriptors } from './inherited-fds.ts';

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

/** What a resident process said about one step, with the step's outcome. */
export interface ResidentStep {
  outcome: ProcessOutcome;
  /** The lines it wrote on fd 3 for the step: `run` or `cold`, then `done {...}` unless it ended first. */
  told: string[];
  /** The step's own report (`done`): its exit status, CPU and whether the resident is fit for another step. */
  done?: { exitCode: number; cpuMs: number; clean: boolean };
}

/**
 * A process that serves many steps (the resident interpreter, python-preloader.ts): it says `ready` on fd 3, then
 * for each order (a line on fd 3) runs a step and ends it with a mark it writes on fd 1 and fd 2 and a line
 * `done {"mark": ...}` on fd 3; a step's output is what came before its mark. Each step has its own timeout and
 * output cap; one that hits them ends the whole process (and its group), as a step run alone would end.
 */
export interface ResidentProcess {
  readonly ended: boolean;
  /** Resolves with its first line on fd 3 (`ready`, or another word), or undefined when it ended first. */
  readonly ready: Promise<string | undefined>;
  step(order: string, limits: { timeoutMs: number; outputLimitBytes: number }): Promise<ResidentStep>;
  end(): Promise<void>;
}

/** The length of a resident's mark: 16 random bytes in hex. */
const MARK_LENGTH = 32;

/** Starts `file` as a resident process: see ResidentProcess. */
export function residentProcess(file: string, args: string[], options: Pick<ProcessOptions, 'cwd' | 'env'>): ResidentProcess {
  closeInheritedDescriptors();
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const group = child.pid ? -child.pid : undefined;
  reaper.trackProcess(group, 'SIGKILL');
  const handles = [child, ...child.stdio] as Array<{ ref?: () => void; unref?: () => void } | null>;
  // It waits between steps without keeping this process alive.
  for (const handle of handles) handle?.unref?.();
  const kill = groupKiller(group);
  let ended = false;
  let lines: string[] = [];
  let partial = '';
  let onLine: ((line: string) => void) | undefined;
  let current: { output: ReturnType<typeof capture>; settle: () => void } | undefined;
  const tails: Record<Stream, string> = { stdout: '', stderr: '' };
  const collect = (which: Stream) => (chunk: Buffer) => {
    tails[which] = (tails[which] + chunk.toString('latin1')).slice(-MARK_LENGTH);
    current?.output.take(which, chunk);
    current?.settle();
  };
  child.stdout?.on('data', collect('stdout'));
  child.stderr?.on('data', collect('stderr'));
  const channel = child.stdio[3] as Duplex | null | undefined;
  channel?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      onLine?.(line);
    }
  });
  channel?.on('error', () => {});
  let spawnError: string | undefined;
  child.once('error', (error) => {
    spawnError = error.message;
  });
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      ended = true;
      kill();
      reaper.untrackProcess(group);
      resolve({ code, signal });
    });
  });
  const ready = new Promise<string | undefined>((resolve) => {
    onLine = (line) => resolve(line);
    void closed.then(() => resolve(undefined));
  });
  return {
    get ended() {
      return ended;
    },
    ready,
    async step(order, limits) {
      const started = Date.now();
      if (ended) return { outcome: { exitCode: null, signal: null, timedOut: false, outputLimited: false, durationMs: 0, stdout: '', stderr: '', spawnError: spawnError ?? 'the resident process ended' }, told: [] };
      for (const handle of handles) handle?.ref?.();
      lines = [];
      let settled: () => void = () => {};
      const finished = new Promise<void>((resolve) => {
        settled = resolve;
      });
      let report: { exitCode: number; cpuMs: number; clean: boolean; mark: string } | undefined;
      // The two marks may arrive after `done`, through their own pipes: the step ends when all three are in.
      const settle = (): void => {
        if (report && tails.stdout.endsWith(report.mark) && tails.stderr.endsWith(report.mark)) settled();
      };
      // Room for the two marks, which are not the step's output (checked against the cap once cut off).
      const step = { output: capture(limits.outputLimitBytes + 2 * MARK_LENGTH, kill), settle };
      current = step;
      onLine = (line) => {
        if (!line.startsWith('done ')) return;
        try {
          const said = JSON.parse(line.slice(5)) as { exitCode: number; cpuMs: number; clean?: unknown; mark?: unknown };
          report = { exitCode: said.exitCode, cpuMs: said.cpuMs, clean: said.clean === true, mark: String(said.mark) };
        } catch {
          report = undefined;
        }
        settle();
      };
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        kill();
      }, limits.timeoutMs);
      channel?.write(order);
      const end = await Promise.race([finished.then(() => undefined), closed]);
      clearTimeout(timer);
      current = undefined;
      onLine = undefined;
      for (const handle of handles) handle?.unref?.();
      const done = end === undefined ? report : undefined;
      const text = (which: Stream): string => {
        const all = Buffer.concat(step.output.chunks[which]);
        return (done ? all.subarray(0, all.length - done.mark.length) : all).toString('utf8');
      };
      const stdout = text('stdout');
      const stderr = text('stderr');
      const outputLimited = step.output.limited || Buffer.byteLength(stdout) + Buffer.byteLength(stderr) > limits.outputLimitBytes;
      return {
        outcome: {
          exitCode: done ? done.exitCode : (end?.code ?? null),
          signal: done ? null : (end?.signal ?? null),
          timedOut,
          outputLimited,
          durationMs: Date.now() - started,
          stdout,
          stderr,
          ...(done ? { cpuMs: done.cpuMs } : {}),
          ...(spawnError ? { spawnError } : {}),
        },
        told: [...lines],
        ...(done ? { done: { exitCode: done.exitCode, cpuMs: done.cpuMs, clean: done.clean } } : {}),
      };
    },
    async end() {
      kill();
      await closed;
    },
  };
}

/**
 * Runs untrusted code: its own process group (so the whole tree can be killed), a timeout, and a cap on
 * captured output. Never throws for the child's failures; they are in the outcome.
 */
export function runProcess(file: string, args: string[], options: ProcessOptions): Promise<ProcessOutcome> {
  const started = Date.now();
  closeInheritedDescriptors();
  const child = spawn(file, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const group = child.pid ? -child.pid : undefined;
  reaper.trackProcess(group, 'SIGKILL');
  const kill = groupKiller(group);
  const output = capture(options.outputLimitBytes, kill);
  let timedOut = false;
  let spawnError: string | undefined;
  child.stdout?.on('data', (chunk: Buffer) => output.take('stdout', chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.take('stderr', chunk));
  child.once('error', (error) => {
    spawnError = error.message;
  });
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  return new Promise<ProcessOutcome>((resolve) => {
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Children of the step that outlived it (a backgrounded server) go with it.
      kill();
      reaper.untrackProcess(group);
      resolve({
        exitCode: code,
        signal,
        timedOut,
        outputLimited: output.limited,
        durationMs: Date.now() - started,
        stdout: Buffer.concat(output.chunks.stdout).toString('utf8'),
        stderr: Buffer.concat(output.chunks.stderr).toString('utf8'),
        ...(spawnError ? { spawnError } : {}),
      });
    });
  });
}

type Stream = 'stdout' | 'stderr';

/** Output kept up to a cap over both streams: the chunk that crosses it is cut there, and `onLimit` runs once. */
function capture(cap: number, onLimit: () => void) {
  const chunks: Record<Stream, Buffer[]> = { stdout: [], stderr: [] };
  let captured = 0;
  let limited = false;
  return {
    chunks,
    get limited(): boolean {
      return limited;
    },
    take(which: Stream, chunk: Buffer): void {
      if (limited) return;
      const room = cap - captured;
      if (chunk.length > room) {
        chunks[which].push(chunk.subarray(0, Math.max(room, 0)));
        captured = cap;
        limited = true;
        onLimit();
        return;
      }
      chunks[which].push(chunk);
      captured += chunk.length;
    },
  };
}

/** Kills a process group (the whole tree of a detached child) with SIGKILL, if it is still there. */
function groupKiller(group: number | undefined): () => void {
  return () => {
    if (group === undefined) return;
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  };
}
