import { createWriteStream, existsSync, mkdirSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { SUITE_ROOT } from '../config/suite-root.ts';
import { errorMessage } from '../errors.ts';
import type { LabRunner } from '../runner/lab-runner.ts';
import type { LabDefinition } from '../labkit/define-lab.ts';
import { renderConsoleReport } from '../renderers/console-report.ts';
import { startServices, type RunningServices } from '../services/start-services.ts';
import { affectedLabs } from './affected-labs.ts';

export interface WatchOptions {
  labs: readonly LabDefinition[];
  /** The labs to verify at the start and on `a` (all of them when omitted). */
  only?: readonly string[];
  /** `reference` or a learner repository (its folder is watched; the reference's scripts for the reference). */
  submission: string;
  resultsDir: string;
  color: boolean;
}

/** Time to let an editor finish writing (save, rename, chmod) before the labs run. */
const DEBOUNCE_MS = 120;

/**
 * Watch mode: the services start once and stay warm, and so does vitest; saving a file verifies again exactly the
 * labs that use it (a step's script: the labs that run that step; a compose or steps file: all) and prints their
 * task list. `a` verifies every lab, `q` (or Ctrl-C, or a closed terminal) stops everything it started.
 */
export async function watchLabs(options: WatchOptions): Promise<never> {
  const config = loadConfig();
  mkdirSync(options.resultsDir, { recursive: true });
  const log = createWriteStream(path.join(options.resultsDir, 'labs.log'));
  const say = (line: string): void => void process.stderr.write(`[watch] ${line}\n`);
  const all = options.only ?? options.labs.map((lab) => lab.id);
  const watched = options.submission === 'reference' ? path.join(SUITE_ROOT, 'src/ddb') : options.submission;

  let services: RunningServices | undefined;
  let runner: LabRunner | undefined;
  const watching: { watcher?: FSWatcher } = {};
  let stopping = false;
  const stop = async (code: number): Promise<never> => {
    if (!stopping) {
      stopping = true;
      watching.watcher?.close();
      if (process.stdin.isTTY) process.stdin.setRawMode(false);
      process.stdin.pause();
      await runner?.close().catch(() => {});
      await services?.stop().catch(() => {});
      log.end();
    }
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, () => void stop(130));

  say(`starting DynamoDB Local and Postgres and the labs (their own output: ${path.relative(process.cwd(), path.join(options.resultsDir, 'labs.log'))})`);
  const { LabRunner: Runner } = await import('../runner/lab-runner.ts');
  const [started, created] = await Promise.allSettled([startServices(config, (line) => log.write(`[services] ${line}\n`)), Runner.create(log)]);
  if (started.status === 'fulfilled') services = started.value;
  if (created.status === 'fulfilled') runner = created.value;
  if (started.status === 'rejected' || created.status === 'rejected' || !services || !runner) {
    const reason = started.status === 'rejected' ? started.reason : created.status === 'rejected' ? created.reason : 'unknown';
    say(`could not start: ${errorMessage(reason)}`);
    return stop(2);
  }
  process.env.LAB_PROVIDED_SERVICES = JSON.stringify(services.facts);
  const warm = runner;

  let running = false;
  const pending = new Set<string>();
  /** When the oldest pending save happened; undefined for the first run, which no save asked for. */
  let pendingSince: number | undefined;
  const verify = async (ids: readonly string[], savedAt?: number): Promise<void> => {
    const env = { LAB_SUBMISSION: options.submission, LAB_RESULTS_DIR: options.resultsDir };
    const from = savedAt ?? Date.now();
    const results = await warm.run(env, options.resultsDir, ids);
    if (!results) {
      say(`the labs ended without a results file; see ${path.join(options.resultsDir, 'labs.log')}`);
      return;
    }
    const seconds = ((Date.now() - from) / 1000).toFixed(1);
    process.stdout.write(`\n${renderConsoleReport(results, { color: options.color })}`);
    say(`${ids.join(', ')} verified in ${seconds} s${savedAt ? ' after the save' : ''}. Watching ${watched}: save a script to verify its labs again; a: all labs, q: quit.`);
  };
  const drain = async (): Promise<void> => {
    if (running || pending.size === 0 || stopping) return;
    running = true;
    const ids = all.filter((id) => pending.has(id));
    const since = pendingSince;
    pending.clear();
    pendingSince = undefined;
    try {
      if (ids.length > 0) await verify(ids, since);
    } catch (error) {
      say(`the labs could not run: ${errorMessage(error)}`);
    } finally {
      running = false;
    }
    void drain();
  };
  let timer: NodeJS.Timeout | undefined;
  const queue = (ids: readonly string[]): void => {
    if (ids.length === 0) return;
    if (pending.size === 0) pendingSince = Date.now();
    for (const id of ids) pending.add(id);
    clearTimeout(timer);
    timer = setTimeout(() => void drain(), DEBOUNCE_MS);
  };

  if (!existsSync(watched)) {
    say(`${watched} does not exist`);
    return stop(2);
  }
  watching.watcher = watch(watched, { recursive: true }, (_event, file) => {
    if (file) queue(affectedLabs(file.toString(), options.labs).filter((id) => all.includes(id)));
  });
  if (process.stdin.isTTY) process.stdin.setRawMode(true);
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (key: string) => {
    if (key === 'q' || key === '\u0003') void stop(0);
    else if (key === 'a') queue(all);
  });
  // A closed terminal (or an input that ends) stops the watch like `q`.
  process.stdin.on('end', () => void stop(0));
  process.stdin.resume();

  for (const id of all) pending.add(id);
  await drain();
  // Runs until `q`, Ctrl-C or a closed terminal (stop() ends the process).
  return new Promise<never>(() => {});
}
