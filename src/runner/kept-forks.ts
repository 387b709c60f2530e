import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Writable } from 'node:stream';
import type { PoolOptions, PoolRunnerInitializer, PoolWorker, WorkerRequest } from 'vitest/node';
import { endChild } from '../end-child.ts';
import { isKeptForkReply, PRELOAD_VARIABLE, type KeptForkControl, type KeptForkWarm } from './kept-fork-protocol.ts';

/**
 * vitest's `forks` pool, except that a test process can outlive its run: vitest 4 ends its test processes when a
 * run ends, and a grading worker or watch mode would pay a new process and the suite's imports (about a CPU
 * second) for every repository. While a LabRunner keeps test processes (`keepTestProcesses`), a process whose
 * run ended cleanly is handed to the next run of the same project with that run's environment. Anywhere else (the
 * `vitest` command) it is the plain forks pool: a process per run.
 */
const CHILD = fileURLToPath(new URL('./kept-fork-child.ts', import.meta.url));
/** Runs a process serves before it is replaced: each run leaves a little behind (vitest registers a loader). */
export const MAX_RUNS_PER_PROCESS = 25;
const READY_TIMEOUT_MS = 30_000;
const KILL_GRACE_MS = 500;

interface Kept {
  child: ChildProcess;
  key: string;
  /** Runs started in this process so far. */
  runs: number;
  /** The generation of vitest's worker the process has made ready (one per run). */
  generation: number;
  exited: boolean;
  waiting: Array<() => void>;
  /** Where the process's messages go: the run it serves, or `held` between runs. */
  sink: ((message: unknown) => void) | undefined;
  /**
   * What the process sent between runs (the module loader of an ended run still reports imports, and waits for an
   * answer): delivered to the next run, whose vitest answers it.
   */
  held: unknown[];
}

interface Registry {
  keep: boolean;
  /** Where the arguments of each project's test process are remembered, for starting one ahead of a run. */
  argsFile: string | undefined;
  idle: Map<string, Kept>;
  all: Set<Kept>;
  stats: { forked: number; reused: number };
}

// The config file and the suite may each load this module (vitest imports its config as a module of its own): one
// registry per process, and one exit handler for it.
const GLOBAL_KEY = '__cruddurLabsKeptForks';
const holder = globalThis as typeof globalThis & { [GLOBAL_KEY]?: Registry };
const registry: Registry = (holder[GLOBAL_KEY] ??= newRegistry());

function newRegistry(): Registry {
  const created: Registry = { keep: false, argsFile: undefined, idle: new Map(), all: new Set(), stats: { forked: 0, reused: 0 } };
  // A kept process never outlives its parent: it also ends on its own when the IPC channel closes.
  process.once('exit', () => {
    for (const kept of created.all) kept.child.kill('SIGKILL');
  });
  return created;
}

function spawnKept(key: string, execArgv: string[], env: PoolOptions['env']): Kept {
  const child = fork(CHILD, [], { env: env as NodeJS.ProcessEnv, execArgv, stdio: 'pipe', serialization: 'advanced' });
  const kept: Kept = { child, key, runs: 0, generation: 0, exited: false, waiting: [], sink: undefined, held: [] };
  const wake = (): void => {
    for (const resolve of kept.waiting.splice(0)) resolve();
  };
  child.on('message', (message: unknown) => {
    if (isKeptForkReply(message)) {
      kept.generation = message.generation;
      wake();
    } else if (kept.sink) kept.sink(message);
    else kept.held.push(message);
  });
  child.once('exit', () => {
    kept.exited = true;
    registry.all.delete(kept);
    if (registry.idle.get(key) === kept) registry.idle.delete(key);
    wake();
  });
  registry.all.add(kept);
  registry.stats.forked += 1;
  return kept;
}

/** Waits until the process has vitest's worker ready for its next run; false if it ended or took too long. */
async function ready(kept: Kept): Promise<boolean> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!kept.exited && kept.generation <= kept.runs && Date.now() < deadline) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, deadline - Date.now());
      kept.waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  return !kept.exited && kept.generation > kept.runs;
}

const end = (kept: Kept): Promise<void> => endChild(kept.child, 'SIGTERM', KILL_GRACE_MS);

const keyOf = (options: Pick<PoolOptions, 'execArgv'> & { project: { name: string } }): string =>
  JSON.stringify([options.project.name, options.execArgv]);

/** What is remembered of a project's test process: the arguments vitest gave it, and the modules its specs import. */
interface Remembered {
  execArgv?: string[];
  preload?: string[];
}

function remembered(): Record<string, Remembered> {
  try {
    return registry.argsFile ? (JSON.parse(readFileSync(registry.argsFile, 'utf8')) as Record<string, Remembered>) : {};
  } catch {
    return {};
  }
}

/** vitest decides a test process's arguments when a run starts; they are kept for a start ahead of the next run. */
export function remember(project: string, facts: Remembered): void {
  const file = registry.argsFile;
  const known = remembered();
  const merged = { ...known[project], ...facts };
  if (!file || JSON.stringify(known[project]) === JSON.stringify(merged)) return;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify({ ...known, [project]: merged }, null, 2)}\n`);
  } catch {
    // Only a head start is lost.
  }
}

class KeptForkWorker implements PoolWorker {
  readonly name = 'kept-forks';
  readonly cacheFs = true;
  private kept: Kept | undefined;
  /** vitest's listeners for the process's events other than messages (error, exit), detached when the run stops. */
  private readonly listeners: Array<{ event: string; callback: (arg: unknown) => void }> = [];
  private readonly messageCallbacks: Array<(message: unknown) => void> = [];
  private stoppedCleanly = false;
  private readonly stdout: Writable;
  private readonly stderr: Writable;

  constructor(private readonly options: PoolOptions) {
    this.stdout = options.project.vitest.logger.outputStream;
    this.stderr = options.project.vitest.logger.errorStream;
  }

  private get child(): ChildProcess {
    if (!this.kept) throw new Error('the test process was not started or has been stopped');
    return this.kept.child;
  }

  async start(): Promise<void> {
    const key = keyOf(this.options);
    let kept = registry.idle.get(key);
    registry.idle.delete(key);
    if (kept && !(await ready(kept))) {
      await end(kept);
      kept = undefined;
    }
    if (kept) {
      registry.stats.reused += 1;
      const control: KeptForkControl = { __keptFork__: 'env', env: definedOnly(this.options.env) };
      kept.child.send(control);
    } else {
      remember(this.options.project.name, { execArgv: this.options.execArgv });
      kept = spawnKept(key, this.options.execArgv, this.options.env);
      if (!(await ready(kept))) {
        await end(kept);
        throw new Error('the test process did not start');
      }
    }
    kept.runs += 1;
    this.kept = kept;
    kept.sink = (message) => this.deliver(message);
    kept.child.stdout?.pipe(this.stdout, { end: false });
    kept.child.stderr?.pipe(this.stderr, { end: false });
  }

  async stop(): Promise<void> {
    const kept = this.kept;
    if (!kept) return;
    this.kept = undefined;
    kept.sink = undefined;
    this.messageCallbacks.length = 0;
    for (const { event, callback } of this.listeners.splice(0)) kept.child.off(event, callback);
    kept.child.stdout?.unpipe(this.stdout);
    kept.child.stderr?.unpipe(this.stderr);
    // Kept only after a run that ended as vitest ends it (its teardown answered), never after a cancel or a crash.
    if (registry.keep && this.stoppedCleanly && !kept.exited && kept.runs < MAX_RUNS_PER_PROCESS) {
      registry.idle.set(kept.key, kept);
      return;
    }
    await end(kept);
  }

  /** A message of the process to this run's listeners; after vitest's teardown answered, the rest is held. */
  private deliver(message: unknown): void {
    for (const callback of [...this.messageCallbacks]) callback(message);
    if (isStopped(message)) {
      this.stoppedCleanly = true;
      if (this.kept) this.kept.sink = undefined;
    }
  }

  on(event: string, callback: (arg: unknown) => void): void {
    const kept = this.kept;
    if (!kept) throw new Error('the test process was not started or has been stopped');
    if (event !== 'message') {
      this.listeners.push({ event, callback });
      kept.child.on(event, callback);
      return;
    }
    this.messageCallbacks.push(callback);
    // What the process sent between runs goes to the first listener of this run (vitest's own).
    for (const message of kept.held.splice(0)) callback(message);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    if (event === 'message') {
      const index = this.messageCallbacks.indexOf(callback);
      if (index !== -1) this.messageCallbacks.splice(index, 1);
      return;
    }
    const index = this.listeners.findIndex((l) => l.event === event && l.callback === callback);
    if (index === -1) return;
    this.listeners.splice(index, 1);
    this.kept?.child.off(event, callback);
  }

  send(message: WorkerRequest): void {
    this.child.send(message);
  }

  deserialize(data: unknown): unknown {
    return data;
  }
}

function isStopped(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as { type?: unknown; error?: unknown; __vitest_worker_response__?: unknown };
  return m.__vitest_worker_response__ === true && m.type === 'stopped' && !m.error;
}

function definedOnly(env: PoolOptions['env']): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The pool for the labs project (vitest.config.ts). */
export const keptForks: PoolRunnerInitializer = {
  name: 'kept-forks',
  createPoolWorker: (options) => new KeptForkWorker(options),
};

/**
 * From now on, test processes whose run ended cleanly serve the next run (until `endKeptTestProcesses`). What
 * vitest gives each project's test process is remembered in `cacheDir`, for `prestartTestProcess`.
 */
export function keepTestProcesses(cacheDir: string): void {
  registry.keep = true;
  registry.argsFile = path.join(cacheDir, 'test-process.json');
}

/**
 * Starts `project`'s test process before its first run (and keeps test processes from now on), with the arguments
 * vitest gave it the last time here (nothing happens the first time). While it waits it imports the modules the
 * project's specs imported last time: its first run finds them loaded. A run whose arguments differ does not use it.
 */
export function prestartTestProcess(cacheDir: string, project: string): void {
  keepTestProcesses(cacheDir);
  const { execArgv, preload = [] } = remembered()[project] ?? {};
  if (!execArgv) return;
  const key = keyOf({ project: { name: project }, execArgv });
  if (registry.idle.has(key)) return;
  registry.idle.set(key, spawnKept(key, execArgv, { ...process.env, [PRELOAD_VARIABLE]: JSON.stringify(preload) }));
}

/**
 * Asks `project`'s test process started ahead (prestartTestProcess), before its first run, to import `module` with
 * `env` as its environment and call its `warm(...args)`; false when there is no such process. Its first run then
 * finds that work begun (a grading worker: the learner's interpreter starts while the services start).
 */
export function warmTestProcess(project: string, env: NodeJS.ProcessEnv, module: string, args: unknown[]): boolean {
  for (const [key, kept] of registry.idle) {
    if ((JSON.parse(key) as unknown[])[0] !== project || kept.runs > 0 || kept.exited || !kept.child.connected) continue;
    const message: KeptForkWarm = { __keptFork__: 'warm', env: definedOnly(env), module, args };
    kept.child.send(message);
    return true;
  }
  return false;
}

/** Ends every test process this process keeps, and keeps none from now on. */
export async function endKeptTestProcesses(): Promise<void> {
  registry.keep = false;
  registry.idle.clear();
  await Promise.all([...registry.all].map(end));
}

/** How many test processes were started, how many runs reused one, and which are alive (for tests and the bench). */
export function keptForkStats(): { forked: number; reused: number; alive: number[] } {
  return { ...registry.stats, alive: [...registry.all].flatMap((kept) => (kept.child.pid ? [kept.child.pid] : [])) };
}
