import { appendFileSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabConfig } from '../config/load-config.ts';
import { ConfigError } from '../errors.ts';
import type { LabDefinition } from '../labkit/define-lab.ts';
import type { WeekDefinition } from '../labkit/define-week.ts';
import { renderClassSummary, renderGradebook, type GradebookRow } from '../renderers/index.ts';
import type { RunResults } from '../results/model.ts';
import { describeSandbox } from '../sandbox/describe.ts';
import type { SandboxSupport } from '../sandbox/detect.ts';
import type { ServiceFacts } from '../services/types.ts';
import { sandboxSettings } from '../submission/sandbox-settings.ts';
import { errorResults } from './error-results.ts';
import { gitCommit } from './git-info.ts';
import { shardSlice } from './shard.ts';
import { trace } from '../trace.ts';
import { runPool, type JobOutcome } from './worker/pool.ts';
import type { GradeJob } from './worker/protocol.ts';
import { exitCodeFor } from './exit-code.ts';
import { writeReports } from './write-reports.ts';
import { markReportFolder } from '../results/report-folder.ts';

/** The repositories of a class: every directory directly inside `dir`, by name. */
export function listRepositories(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => path.join(dir, name));
}

export interface GradeOptions {
  config: LabConfig;
  /** The week graded: its labs and its journal. */
  week: WeekDefinition;
  /** The lab ids to run (all of the week's labs when omitted). */
  only?: readonly string[];
  /** Workers grading at once (each with its own services); 1 without the sandbox. */
  jobs: number;
  /** Whole-repository limit; the per-step limit is config.stepTimeoutMs. */
  repositoryTimeoutMs: number;
  /** Host paths learner code must never see (the class folder). */
  hidden: string[];
  /** Where a repository's reports go. */
  outDirFor(repository: string): string;
  /** `inherit` shows the labs' output on the terminal (--verbose); `file` writes `labs.log` beside its reports. */
  labOutput: 'inherit' | 'file';
  /** One repository graded in CI: its summary and Classroom result also go where GitHub Actions reads them. */
  githubOutputs?: boolean;
  /** One line per repository, in class order, as soon as it and all before it are graded. */
  progress(line: string): void;
  /** Lines about the run itself (services, sandbox, workers). */
  log(line: string): void;
}

export interface GradedRepository {
  name: string;
  repository: string;
  results: RunResults;
}

export interface GradeOutcome {
  graded: GradedRepository[];
  rows: GradebookRow[];
  exitCode: number;
  sandbox: SandboxSupport;
  jobs: number;
  services?: ServiceFacts;
}

/** A repository as the results name it when it could not be graded: its path and, from .git, its commit. */
function repositorySubmission(repository: string): RunResults['submission'] {
  const commit = gitCommit(repository);
  return { kind: 'repository', path: repository, ...(commit ? { commit } : {}) };
}

/** The labs a grading run covers. */
export function selectedLabs(options: Pick<GradeOptions, 'week' | 'only'>): readonly LabDefinition[] {
  const { labs } = options.week;
  return options.only ? labs.filter((lab) => options.only?.includes(lab.id)) : labs;
}

/**
 * How many workers may grade at once, and in which mode. Workers need their own network namespace to each
 * have DynamoDB Local on the course's port 8000, and start their services embedded inside it; without the
 * sandbox, or with services that live on this machine's network, one worker grades on the host.
 */
export function workerPlan(config: LabConfig, requestedJobs: number): { sandbox: SandboxSupport; jobs: number; env: NodeJS.ProcessEnv; note?: string } {
  let sandbox = sandboxSettings(config).support;
  if (sandbox.mode === 'namespaces' && (config.backend === 'containers' || config.backend === 'external')) {
    if (config.sandbox === 'namespaces') {
      throw new ConfigError(`LAB_SANDBOX=namespaces needs services inside each grading worker, but LAB_BACKEND=${config.backend} serves them on this machine's network. Unset LAB_BACKEND (or set it to embedded).`);
    }
    sandbox = { mode: 'none', reason: `LAB_BACKEND=${config.backend} serves DynamoDB Local and Postgres on this machine's network, which a sandboxed worker cannot reach; unset LAB_BACKEND to sandbox learner code` };
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_STEP_TIMEOUT_MS: String(config.stepTimeoutMs),
    LAB_OUTPUT_LIMIT_BYTES: String(config.outputLimitBytes),
    LAB_CACHE_DIR: config.cacheDir,
    LAB_DYNAMODB_PORT: String(config.dynamodbPort ?? 8000),
  };
  if (sandbox.mode === 'namespaces') {
    // Inside its own network namespace every worker has the course's ports to itself.
    const jobs = Math.max(1, requestedJobs);
    Object.assign(env, { LAB_BACKEND: 'embedded', LAB_DYNAMODB_PORT: '8000', LAB_POSTGRES_PORT: '5432', LAB_SANDBOX: 'namespaces' });
    return { sandbox, jobs, env };
  }
  Object.assign(env, { LAB_SANDBOX: 'none' });
  const note = requestedJobs > 1 ? `grading one repository at a time: without the sandbox every repository needs this machine's port 8000 (${sandbox.reason})` : undefined;
  return { sandbox, jobs: 1, env, ...(note ? { note } : {}) };
}

/**
 * Grades repositories with warm workers (each with its own services and, with the sandbox, its own network and
 * PID namespaces), writes every repository's reports, and reports progress in class order.
 */
export async function gradeRepositories(repositories: readonly string[], options: GradeOptions): Promise<GradeOutcome> {
  const plan = workerPlan(options.config, Math.min(options.jobs, Math.max(1, repositories.length)));
  if (plan.note) options.log(plan.note);
  options.log(
    plan.sandbox.mode === 'namespaces'
      ? `sandbox: ${describeSandbox(plan.sandbox, { network: 'worker', uid: options.config.sandboxUid, limits: options.config.limits }).detail}; ${plan.jobs} worker(s)`
      : `sandbox: none (${plan.sandbox.reason}); learner code runs as this user on this machine`,
  );
  const jobs: GradeJob[] = repositories.map((repository, index) => ({
    index,
    repository,
    outDir: options.outDirFor(repository),
    hidden: options.hidden,
    ...(options.only ? { only: [...options.only] } : {}),
  }));
  for (const job of jobs) {
    mkdirSync(job.outDir, { recursive: true });
    if (options.labOutput === 'file') writeFileSync(path.join(job.outDir, 'labs.log'), '');
  }
  // A repository that could not be graded still says how its code would have run.
  const sandbox = describeSandbox(plan.sandbox, { network: 'worker', uid: options.config.sandboxUid, limits: options.config.limits });
  const withSandbox = (results: RunResults): RunResults => ({ ...results, environment: { ...results.environment, sandbox } });
  const finished = new Map<number, { graded: GradedRepository; durationMs?: number; attempts: number }>();
  const written: Array<Promise<void>> = [];
  let printed = 0;
  const outcome = (result: JobOutcome): void => {
    trace('grade', `graded ${path.basename(result.job.repository)}`);
    const { job } = result;
    const results = result.results ?? withSandbox(errorResults(selectedLabs(options), result.error ?? 'unknown reason', repositorySubmission(job.repository)));
    const graded = { name: path.basename(job.repository), repository: job.repository, results };
    finished.set(job.index, { graded, attempts: result.attempts, ...(result.durationMs !== undefined ? { durationMs: result.durationMs } : {}) });
    written.push(writeReports(results, job.outDir, { journal: options.week.journal, env: options.githubOutputs ? process.env : {} }).then(() => {}));
    for (let done = finished.get(printed); done; done = finished.get(printed)) {
      const secs = done.durationMs === undefined ? '' : ` (${(done.durationMs / 1000).toFixed(1)} s)`;
      const again = done.attempts > 1 ? ', graded again after its worker broke' : '';
      const { name, results: r } = done.graded;
      options.progress(`[${printed + 1}/${jobs.length}] ${name}: ${r.status} ${r.score}/${r.max_score}${secs}${again}`);
      printed += 1;
    }
  };
  const services = await runPool(
    jobs,
    {
      jobs: plan.jobs,
      sandbox: plan.sandbox,
      env: plan.env,
      repositoryTimeoutMs: options.repositoryTimeoutMs,
      output: (job, text) => {
        if (options.labOutput === 'inherit') process.stdout.write(text);
        else if (job) appendFileSync(path.join(job.outDir, 'labs.log'), text);
        // Between repositories a worker prints only its start-up and, with LAB_TRACE, its phases.
        else process.stderr.write(text);
      },
      log: options.log,
      baseUid: options.config.sandboxUid,
    },
    outcome,
  );
  trace('grade', 'workers gone');
  await Promise.all(written);
  trace('grade', 'reports written');
  const graded = [...finished.entries()].sort(([a], [b]) => a - b).map(([, f]) => f.graded);
  const rows: GradebookRow[] = graded.map((g) => ({
    name: g.name,
    ...(g.results.submission.commit ? { commit: g.results.submission.commit } : {}),
    results: g.results,
  }));
  const exitCode = graded.length === 0 ? 2 : Math.max(...graded.map((g) => exitCodeFor(g.results.status)));
  return { graded, rows, exitCode, sandbox: plan.sandbox, jobs: plan.jobs, ...(services ? { services } : {}) };
}

export interface ClassOutcome {
  rows: GradebookRow[];
  gradebook: string;
  summary: string;
  exitCode: number;
}

/**
 * Grades every repository of a class folder (or one shard of it) and writes per-repository reports, a
 * gradebook and a class summary. A broken repository never stops the batch.
 */
export async function gradeClass(
  dir: string,
  options: Omit<GradeOptions, 'outDirFor' | 'labOutput' | 'hidden'> & { outDir: string; shard?: { index: number; count: number } },
): Promise<ClassOutcome> {
  const all = listRepositories(dir);
  const repos = options.shard ? shardSlice(all, options.shard, (repo) => path.basename(repo)) : all;
  if (options.shard) options.log(`shard ${options.shard.index}/${options.shard.count}: ${repos.length} of ${all.length} repositories`);
  const outcome = await gradeRepositories(repos, {
    ...options,
    // The class folder and where the classmates' reports go.
    hidden: [dir, options.outDir],
    labOutput: 'file',
    outDirFor: (repository) => path.join(options.outDir, path.basename(repository)),
  });
  mkdirSync(options.outDir, { recursive: true });
  markReportFolder(options.outDir);
  const gradebook = path.join(options.outDir, 'gradebook.csv');
  const summary = path.join(options.outDir, 'class-summary.md');
  writeFileSync(gradebook, renderGradebook(outcome.rows));
  writeFileSync(summary, renderClassSummary(outcome.rows));
  // An empty shard of a small class is normal; an empty class is not.
  const exitCode = repos.length === 0 ? (options.shard && all.length > 0 ? 0 : 2) : outcome.exitCode;
  return { rows: outcome.rows, gradebook, summary, exitCode };
}
