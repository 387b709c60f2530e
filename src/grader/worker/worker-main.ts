// A grading worker: started by the class grader inside its own network and PID namespaces (or, without a
// sandbox, as a plain child). It owns its DynamoDB Local and Postgres on the course's ports, keeps them and the
// lab runner warm, and grades one repository at a time on request, resetting the services in between.
import './prestart.ts';
import { loadConfig } from '../../config/load-config.ts';
import { errorMessage } from '../../errors.ts';
import { withTasks, type RunResults } from '../../results/model.ts';
import { servicesProblem } from '../../services/probes.ts';
import { sandboxSettings } from '../../submission/sandbox-settings.ts';
import { probeLearnerTools } from '../../submission/step-env.ts';
import { startServices, type RunningServices } from '../../services/start-services.ts';
import { gitCommit } from '../git-info.ts';
import type { LabRunner } from '../../runner/lab-runner.ts';
import type { FromWorker, GradeJob, ToWorker } from './protocol.ts';
import { trace, traced } from '../../trace.ts';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { LABS_PROJECT } from '../../runner/labs-project.ts';
import type { StepServices } from '../../submission/types.ts';

/** The module whose `warm` the test process runs for the first repository (warmFirstRepository). */
const WARM_SUBMISSION = fileURLToPath(new URL('../../labkit/warm-submission.ts', import.meta.url));

trace('worker', 'loaded');
const send = (message: FromWorker): void => {
  process.send?.(message);
};
const log = (line: string): void => console.error(`[worker ${process.env.LAB_WORKER_INDEX ?? 0}] ${line}`);

const config = loadConfig();
// The pool claimed this uid for this worker alone (LAB_SANDBOX_UID).
const uid = config.sandboxUid;
let running: RunningServices | undefined;
let runner: LabRunner | undefined;
/** True from a start until the first repository: fresh services need no reset. */
let pristine = false;

/** vitest takes most of a second to import: loaded beside the services' start, not before it. */
async function createLabRunner(): Promise<LabRunner> {
  const { LabRunner } = await import('../../runner/lab-runner.ts');
  // vitest's output goes to this worker's stdout, which the grader files in the repository's labs.log; what it
  // prints while it starts (its banner), before any repository, would land on the instructor's terminal: dropped.
  let started = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (started) process.stdout.write(chunk);
      done();
    },
  });
  const created = await traced('worker', 'lab runner created', () => LabRunner.create(output, process.stderr));
  started = true;
  return created;
}

async function start(): Promise<RunningServices> {
  const services = await traced('worker', 'services started', () => startServices(config, log));
  // The labs' global setup hands the worker's own services to every lab run as they are (LAB_PROVIDED_SERVICES).
  process.env.LAB_PROVIDED_SERVICES = JSON.stringify(services.facts);
  pristine = true;
  return services;
}

/** Services that answer and hold nothing of the last repository: reset in place, restarted if they broke. */
async function freshServices(): Promise<RunningServices> {
  // Services that no repository has used yet are fresh as they are.
  if (!running || !pristine) running = await resetOrRestart(running);
  pristine = false;
  return running;
}

async function resetOrRestart(current: RunningServices | undefined): Promise<RunningServices> {
  if (current) {
    const problem = await servicesProblem(current.facts);
    if (!problem) {
      try {
        await current.reset();
        return current;
      } catch (error) {
        log(`reset failed, restarting the services: ${errorMessage(error)}`);
      }
    } else log(`restarting the services: ${problem}`);
    running = undefined;
    await current.stop();
  }
  return start();
}

/** What a lab run of `job` adds to this worker's environment. */
function jobEnv(job: GradeJob): Record<string, string> {
  return {
    LAB_SUBMISSION: job.repository,
    LAB_RESULTS_DIR: job.outDir,
    LAB_JOURNAL_DIR: job.outDir,
    LAB_SANDBOX_HIDDEN: job.hidden.join(':'),
    LAB_SANDBOX_UID: String(uid),
  };
}

/**
 * A worker alone knows its first repository from the start (LAB_WORKER_FIRST_JOB, pool.ts): its test process, started
 * ahead, starts that repository's resident interpreter (0.5 s of imports) while the services start, with the
 * services this worker's embedded backend will have in its own network. The first lab finds it running instead of
 * waiting for it; a resident of other settings would be replaced there, as any other.
 */
async function warmFirstRepository(): Promise<void> {
  const hint = process.env.LAB_WORKER_FIRST_JOB;
  const { dynamodbPort, postgresPort, postgresAccount } = config;
  if (!hint || process.env.LAB_WORKER_NETWORK !== 'worker' || process.env.LAB_BACKEND !== 'embedded' || !dynamodbPort || !postgresPort) return;
  const [{ embeddedDynamoDbEndpoint }, { embeddedPostgresUrl }, { warmTestProcess }] = await Promise.all([
    import('../../services/embedded/dynamodb-local.ts'),
    import('../../services/embedded/postgres.ts'),
    import('../../runner/kept-forks.ts'),
  ]);
  const env = { ...process.env, ...jobEnv(JSON.parse(hint) as GradeJob) };
  const services: StepServices = { dynamodbEndpoint: embeddedDynamoDbEndpoint(dynamodbPort), postgresUrl: embeddedPostgresUrl(postgresPort, postgresAccount) };
  if (warmTestProcess(LABS_PROJECT, env, WARM_SUBMISSION, [services])) trace('worker', 'first repository warmed');
}

async function grade(job: GradeJob): Promise<RunResults | undefined> {
  await traced('worker', 'services fresh', freshServices);
  const labs = (runner ??= await createLabRunner());
  const env = jobEnv(job);
  let results = await traced('worker', 'labs run', () => labs.run(env, job.outDir, job.only));
  if (!results) return undefined;
  // A lab that could not be verified (a step left a service broken for the labs after it, a service hiccup) is
  // graded once more on fresh services; the learner's own failures stand.
  const errored = [...new Set(results.tests.filter((t) => t.status === 'error' && t.max_score > 0).map((t) => t.lab))];
  if (errored.length > 0) {
    log(`${errored.join(', ')} could not be verified; grading them once more on fresh services`);
    await freshServices();
    const again = await labs.run(env, job.outDir, errored);
    if (again) {
      results = withTasks(results, [...results.tests.filter((t) => !errored.includes(t.lab)), ...again.tests.filter((t) => errored.includes(t.lab))]);
    }
  }
  const commit = gitCommit(job.repository);
  // Record the services as they are now (restarted ones included) and the repository as handed in.
  return {
    ...results,
    backend: running?.facts.backend ?? results.backend,
    services: running?.facts ?? results.services,
    submission: { ...results.submission, path: job.repository, ...(commit ? { commit } : {}) },
  };
}

async function stop(code: number): Promise<never> {
  trace('worker', 'stopping');
  await traced('worker', 'lab runner closed', async () => runner?.close().catch(() => {}));
  await traced('worker', 'services stopped', async () => running?.stop());
  process.exit(code);
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'stop') {
    void stop(0);
    return;
  }
  void grade(message.job).then(
    (results) => send(results ? { type: 'graded', index: message.job.index, results } : { type: 'broken', message: 'the lab run ended without a results file' }),
    (error: unknown) => send({ type: 'broken', message: errorMessage(error) }),
  );
});
process.on('disconnect', () => void stop(0));

try {
  sandboxSettings(config);
  // The services, the lab runner and the probes of the learner's tools (python3's directories, which every lab run
  // would make again) start side by side: none needs the others until the first repository.
  const probed = traced('worker', 'learner tools probed', () => probeLearnerTools(config.cacheDir));
  // Once the learner's tools are probed (the resident's environment names python3's folder), not before.
  void probed.then(warmFirstRepository, () => {}).catch((error: unknown) => log(`could not start ahead on the first repository: ${errorMessage(error)}`));
  const [services, labs, probes] = await Promise.allSettled([start(), createLabRunner(), probed]);
  // Whatever started is kept so that stop() ends it, also when the other half failed.
  if (services.status === 'fulfilled') running = services.value;
  if (labs.status === 'fulfilled') runner = labs.value;
  if (services.status === 'rejected') throw services.reason;
  if (labs.status === 'rejected') throw labs.reason;
  // Only a head start: a lab run probes again what is missing.
  if (probes.status === 'rejected') log(`could not probe the learner's tools ahead: ${errorMessage(probes.reason)}`);
  if (!running) throw new Error('the services did not start');
  trace('worker', 'ready');
  send({ type: 'ready', services: running.facts });
} catch (error) {
  send({ type: 'broken', message: `could not start the services: ${errorMessage(error)}` });
  await stop(2);
}
