// The test process of a kept fork (see kept-forks.ts): vitest's own forks worker, made ready for the next run
// each time a run ends, so that a grading worker or watch mode does not pay a new process and the suite's
// imports for every repository. Spec files are imported afresh by vitest on every run (`?vitest=<time>`).
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isKeptForkControl, isKeptForkWarm, PRELOAD_VARIABLE, type KeptForkReply } from './kept-fork-protocol.ts';

const vitestRoot = path.dirname(createRequire(import.meta.url).resolve('vitest/package.json'));
const forksEntry = pathToFileURL(path.join(vitestRoot, 'dist', 'workers', 'forks.js')).href;

type Listener = (...args: unknown[]) => void;
let generation = 0;
/** The listeners vitest's worker entry registered for the current run (its request handler). */
let runListeners: Listener[] = [];
const reply = (message: KeptForkReply): void => {
  process.send?.(message);
};

function useEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

/** The next run's environment replaces this process's: a kept process serves one repository after another. */
function control(message: unknown): void {
  if (isKeptForkWarm(message)) {
    warm(message.env, message.module, message.args);
    return;
  }
  if (!isKeptForkControl(message)) return;
  useEnvironment(message.env);
}

/** A head start on the first run's work (kept-forks.ts, warmTestProcess): a failure only loses the head start. */
function warm(env: Record<string, string>, module: string, args: unknown[]): void {
  useEnvironment(env);
  import(pathToFileURL(module).href)
    .then((loaded: { warm?: (...values: unknown[]) => void }) => loaded.warm?.(...args))
    .catch((error: unknown) => console.error(`the test process could not start ahead on its first run: ${(error as Error).message}`));
}

/** A new instance of vitest's worker entry registers itself for the next run's `start`. */
async function renew(): Promise<void> {
  generation += 1;
  try {
    const before = new Set(process.listeners('message'));
    await import(`${forksEntry}?run=${generation}`);
    runListeners = (process.listeners('message') as Listener[]).filter((listener) => !before.has(listener));
    reply({ __keptFork__: 'ready', generation });
  } catch (error) {
    console.error(`the kept test process could not be made ready again: ${(error as Error).message}`);
    process.exit(1);
  }
}

// vitest's worker removes every 'message' listener when its run is torn down (it expects the process to end).
// This is where a run has ended: the ended run's request handler goes, the next run's worker is loaded, and the
// control listener stays. So do the ended run's RPC listeners: the module loader vitest registered for that run
// still reports imports through its RPC, and vitest waits for every call of any run to be answered.
const removeAllListeners = process.removeAllListeners.bind(process);
process.removeAllListeners = ((event?: string | symbol) => {
  if (event !== 'message') return removeAllListeners(event);
  const staying = (process.listeners('message') as Listener[]).filter((listener) => !runListeners.includes(listener));
  removeAllListeners(event);
  for (const listener of staying) process.on('message', listener);
  void renew();
  return process;
}) as typeof process.removeAllListeners;

/** Started ahead of its first run: the suite's modules are loaded while the services start (errors surface then). */
function preload(): void {
  let modules: unknown;
  try {
    modules = JSON.parse(process.env[PRELOAD_VARIABLE] ?? '[]');
  } catch {
    return;
  }
  delete process.env[PRELOAD_VARIABLE];
  if (!Array.isArray(modules)) return;
  for (const file of modules) if (typeof file === 'string') import(pathToFileURL(file).href).catch(() => {});
}

process.on('message', control);
process.on('disconnect', () => process.exit(0));
// Ended by its parent: exit as a process does (profiles and coverage written), not killed mid-write.
process.on('SIGTERM', () => process.exit(0));
await renew();
preload();
