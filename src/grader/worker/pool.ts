import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUITE_ROOT } from '../../config/suite-root.ts';
import { TYPESCRIPT_ARGS } from '../../runner/node-args.ts';
import { trace } from '../../trace.ts';
import type { RunResults } from '../../results/model.ts';
import type { SandboxSupport } from '../../sandbox/detect.ts';
import { removeTree } from '../../sandbox/remove-tree.ts';
import { claimUid, type UidClaim } from '../../sandbox/uid-claim.ts';
import { roomyMemoryFs } from '../../services/embedded/data-parent.ts';
import { reaper } from '../../services/reaper.ts';
import type { ServiceFacts } from '../../services/types.ts';
import type { FromWorker, GradeJob, ToWorker } from './protocol.ts';
import { plainOutputEnv } from '../../plain-output.ts';

const WORKER_MAIN = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

/** How one repository's grading ended: its results, or why it could not be graded. */
export interface JobOutcome {
  job: GradeJob;
  results?: RunResults;
  error?: string;
  /** 1, or 2 when a worker broke and the repository was graded once more. */
  attempts: number;
  /** From the last attempt's start to its end. */
  durationMs?: number;
}

export interface PoolOptions {
  /** How many workers grade at once. */
  jobs: number;
  /** With namespaces, each worker gets its own network (loopback only) and PID namespace. */
  sandbox: SandboxSupport;
  /** The workers' environment (the suite's LAB_* settings). */
  env: NodeJS.ProcessEnv;
  /** Longest time one repository may take before its worker is stopped. */
  repositoryTimeoutMs: number;
  /** A worker's output, with the job it was grading (undefined between jobs). */
  output(job: GradeJob | undefined, text: string): void;
  /** Progress for people: workers starting, restarting. */
  log(line: string): void;
  /** The worker's entry module (a stand-in in the pool's own tests). */
  workerMain?: string;
  /** The first sandbox uid to claim for a worker (LAB_SANDBOX_UID). */
  baseUid: number;
}

interface Worker {
  slot: number;
  child: ChildProcess;
  uid: UidClaim;
  current?: { job: GradeJob; attempt: number; timer: NodeJS.Timeout; timedOut: boolean; startedAt: number };
  stderrTail: string[];
  ready: boolean;
  /** Set when it exited or was killed: it takes no job and its late messages are ignored. */
  dead: boolean;
}

/** The command that starts a worker: inside bubblewrap's fresh network and PID namespaces when it can. */
function workerCommand(sandbox: SandboxSupport, main: string): { file: string; args: string[] } {
  const node = [process.execPath, ...TYPESCRIPT_ARGS, main];
  if (sandbox.mode !== 'namespaces') return { file: node[0] as string, args: node.slice(1) };
  const user = sandbox.privileged ? [] : ['--unshare-user'];
  // The host's files as they are (the worker is the suite), a network with only loopback up, its own PIDs:
  // when the worker ends, by any means, every process it started (services, learner code) ends with it.
  return { file: 'bwrap', args: ['--dev-bind', '/', '/', '--proc', '/proc', '--unshare-net', '--unshare-pid', ...user, '--die-with-parent', '--', ...node] };
}

/**
 * Grades jobs with `jobs` warm workers. Each outcome is reported once, in completion order (callers order
 * them). A worker that dies is replaced and its repository graded once more; a second failure is reported as
 * an error of that repository only. Resolves with the services the first worker reported.
 */
export function runPool(jobs: readonly GradeJob[], options: PoolOptions, onOutcome: (outcome: JobOutcome) => void): Promise<ServiceFacts | undefined> {
  const queue = jobs.map((job) => ({ job, attempt: 1 }));
  const workers = new Set<Worker>();
  const startFailures = new Map<number, number>();
  let services: ServiceFacts | undefined;
  let startProblem: string | undefined;
  let pending = jobs.length;
  /** Ready workers with nothing to do: woken when a repository is queued again. */
  const idle = new Set<Worker>();

  return new Promise((resolve) => {
    const finishIfDone = (): void => {
      if (pending > 0) return;
      for (const worker of workers) stopWorker(worker);
      if (workers.size === 0) resolve(services);
    };

    const report = (outcome: JobOutcome): void => {
      pending -= 1;
      onOutcome(outcome);
    };

    const next = (worker: Worker): void => {
      if (worker.dead) return;
      const item = queue.shift();
      if (!item) {
        idle.add(worker);
        finishIfDone();
        return;
      }
      idle.delete(worker);
      const timer = setTimeout(() => {
        if (!worker.current) return;
        worker.current.timedOut = true;
        worker.dead = true;
        worker.child.kill('SIGKILL');
      }, options.repositoryTimeoutMs);
      worker.current = { ...item, timer, timedOut: false, startedAt: Date.now() };
      send(worker, { type: 'grade', job: item.job });
    };

    // A worker that just died cannot take a message; its exit handler deals with the job it had.
    const send = (worker: Worker, message: ToWorker): void => {
      if (worker.child.connected) worker.child.send(message, () => {});
    };
    const stopWorker = (worker: Worker): void => send(worker, { type: 'stop' });

    const retryOrFail = (item: { job: GradeJob; attempt: number }, why: string): void => {
      if (item.attempt >= 2) report({ job: item.job, error: `could not be graded: ${why} (twice)`, attempts: item.attempt });
      else {
        queue.unshift({ job: item.job, attempt: item.attempt + 1 });
        const waiting = [...idle].find((w) => !w.dead);
        if (waiting) next(waiting);
      }
    };

    /** After a worker is gone: a replacement for its slot, or, when none can start, the end of the queue. */
    const afterWorker = (slot: number, why: string): void => {
      if (pending > 0 && queue.length > 0 && (startFailures.get(slot) ?? 0) < 2) {
        spawnWorker(slot);
        return;
      }
      const waiting = [...idle].find((w) => !w.dead);
      if (waiting && queue.length > 0) next(waiting);
      if (pending > 0 && workers.size === 0) {
        // No worker could start: nothing can be graded here.
        for (const item of queue.splice(0)) report({ job: item.job, error: `could not be graded: ${startProblem ?? why}`, attempts: item.attempt });
      }
      finishIfDone();
    };

    const spawnWorker = (slot: number): void => {
      try {
        startWorker(slot);
      } catch (error) {
        // No folder, no free uid, no process: this slot could not start a worker.
        const why = `a grading worker could not be started (${(error as Error).message})`;
        startProblem ??= why;
        startFailures.set(slot, (startFailures.get(slot) ?? 0) + 1);
        afterWorker(slot, why);
      }
    };

    /** A folder of a worker's, removed when the worker ends; the services' own users (postgres) must reach into it. */
    const workerFolder = (parent: string): string => {
      const dir = mkdtempSync(path.join(parent, 'cruddur-labs-worker-'));
      chmodSync(dir, 0o755);
      reaper.trackDirectory(dir);
      return dir;
    };

    const startWorker = (slot: number): void => {
      const tmp = workerFolder(os.tmpdir());
      // Postgres's data in memory where there is room, in a folder of this worker's that goes with it even when the
      // worker is killed (its own reaper dies with its namespace).
      const shm = roomyMemoryFs();
      const data = shm ? workerFolder(shm) : tmp;
      const folders = [...new Set([tmp, data])];
      // Each worker's learner code runs as a uid no other worker, and no other grading run here, uses.
      const privileged = options.sandbox.mode === 'namespaces' && options.sandbox.privileged;
      const uid: UidClaim = privileged ? claimUid(options.baseUid, process.pid) : { uid: options.baseUid, release: () => {} };
      const { file, args } = workerCommand(options.sandbox, options.workerMain ?? WORKER_MAIN);
      const child = spawn(file, args, {
        cwd: SUITE_ROOT,
        env: plainOutputEnv({
          ...options.env,
          // Its own temporary folder: learners' private copies and homes, its test processes' files.
          TMPDIR: tmp,
          LAB_WORKER_DATA_DIR: data,
          LAB_WORKER_INDEX: String(slot),
          LAB_SANDBOX_UID: String(uid.uid),
          LAB_WORKER_NETWORK: options.sandbox.mode === 'namespaces' ? 'worker' : 'host',
          // A worker alone takes the queue's first repository first: it may start on it while its services start.
          ...(options.jobs === 1 && queue[0] ? { LAB_WORKER_FIRST_JOB: JSON.stringify(queue[0].job) } : {}),
        }),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      });
      reaper.trackProcess(child.pid, 'SIGKILL');
      trace('pool', `worker ${slot} spawned`);
      child.on('error', (error) => options.log(`worker ${slot}: ${error.message}`));
      const worker: Worker = { slot, child, uid, stderrTail: [], ready: false, dead: false };
      workers.add(worker);
      child.stdout?.on('data', (chunk: Buffer) => options.output(worker.current?.job, chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        worker.stderrTail = [...worker.stderrTail, ...text.split('\n').filter((l) => l.trim())].slice(-5);
        options.output(worker.current?.job, text);
      });
      child.on('message', (message: FromWorker) => {
        if (worker.dead) return;
        if (message.type === 'ready') {
          worker.ready = true;
          startFailures.set(slot, 0);
          if (!services) options.log(`${message.services.backend}: DynamoDB Local ${message.services.dynamodb.version} at ${message.services.dynamodb.endpoint}, Postgres ${message.services.postgres.version} on port ${message.services.postgres.port}, in every worker`);
          services ??= message.services;
          next(worker);
        } else if (message.type === 'graded' && worker.current && !worker.current.timedOut && message.index === worker.current.job.index) {
          clearTimeout(worker.current.timer);
          const { job, attempt, startedAt } = worker.current;
          worker.current = undefined;
          report({ job, results: message.results, attempts: attempt, durationMs: Date.now() - startedAt });
          next(worker);
        } else if (message.type === 'broken') {
          if (!worker.ready) startProblem = message.message;
          const current = worker.current;
          if (current) {
            // A worker that could not grade (its services would not come back, its lab run broke) is not trusted
            // with the next repository: it is replaced, and this one graded once more by the new worker.
            clearTimeout(current.timer);
            worker.current = undefined;
            retryOrFail(current, message.message);
            worker.dead = true;
            worker.child.kill('SIGKILL');
          }
        }
      });
      child.on('exit', (code, signal) => {
        trace('pool', `worker ${slot} exited`);
        worker.dead = true;
        idle.delete(worker);
        workers.delete(worker);
        uid.release();
        reaper.untrackProcess(child.pid);
        for (const dir of folders) {
          const left = removeTree(dir);
          if (left) options.log(`worker ${slot}: ${left}`);
          reaper.untrackDirectory(dir);
        }
        const current = worker.current;
        worker.current = undefined;
        if (current) clearTimeout(current.timer);
        const why = `the grading worker stopped (${signal ?? `exit ${code}`}${worker.stderrTail.length ? `: ${worker.stderrTail.at(-1)}` : ''})`;
        if (!worker.ready) {
          startProblem ??= why;
          startFailures.set(slot, (startFailures.get(slot) ?? 0) + 1);
        }
        if (current?.timedOut) report({ job: current.job, error: `grading took longer than ${Math.round(options.repositoryTimeoutMs / 1000)} s and was stopped`, attempts: current.attempt });
        else if (current) {
          options.log(`worker ${slot} stopped while grading ${path.basename(current.job.repository)}; a new worker grades it again`);
          retryOrFail(current, why);
        }
        afterWorker(slot, why);
      });
    };

    if (jobs.length === 0) {
      resolve(undefined);
      return;
    }
    for (let slot = 0; slot < Math.min(options.jobs, jobs.length); slot++) spawnWorker(slot);
  });
}
