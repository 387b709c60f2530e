import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LabConfig } from '../config/load-config.ts';
import { errorMessage } from '../errors.ts';
import type { LabDefinition } from '../labkit/define-lab.ts';
import { readResults } from '../renderers/index.ts';
import type { RunResults } from '../results/model.ts';
import { RESULTS_FILE } from '../results/write-results.ts';
import type { ServiceFacts } from '../services/types.ts';
import { repositorySubmission } from '../submission/repository.ts';
import { runProcess } from '../submission/run-process.ts';
import { learnerEnv } from '../submission/step-env.ts';
import { errorResults } from './error-results.ts';
import { gitCommit } from './git-info.ts';
import { SUITE_ROOT } from './suite-root.ts';

export interface GradeOptions {
  config: LabConfig;
  services: ServiceFacts;
  labs: readonly LabDefinition[];
  outDir: string;
  /** Where the labs' own output goes (a file), or inherit to show it on the terminal. */
  log: 'inherit' | string;
  /** Whole-repository limit; the per-step limit is config.stepTimeoutMs. */
  repositoryTimeoutMs: number;
  /** The lab ids to run (all of `labs` when omitted). */
  only?: readonly string[];
}

/**
 * Grades one repository with the same lab specs `npm test` runs: a vitest child process whose global setup
 * connects to the grader's services (external backend, resets allowed since the grader owns them).
 */
export async function gradeRepository(repo: string, options: GradeOptions): Promise<RunResults> {
  const { config, services } = options;
  const commit = gitCommit(repo);
  const submission: RunResults['submission'] = { kind: 'repository', path: repo, ...(commit ? { commit } : {}) };
  await mkdir(options.outDir, { recursive: true });
  const resultsFile = path.join(options.outDir, RESULTS_FILE);
  await rm(resultsFile, { force: true });

  let setupNote: string | undefined;
  try {
    const found = repositorySubmission(repo, config);
    if (found.setupCommand) {
      const stepServices = { dynamodbEndpoint: services.dynamodb.endpoint, postgresUrl: services.postgres.url };
      const setupEnv = learnerEnv(stepServices, { cacheDir: config.cacheDir });
      const setup = await runProcess('bash', ['-c', found.setupCommand], {
        cwd: found.cwd,
        env: setupEnv,
        timeoutMs: config.stepTimeoutMs * 5,
        outputLimitBytes: config.outputLimitBytes,
      }).finally(() => rm(setupEnv.HOME as string, { recursive: true, force: true }));
      if (setup.exitCode !== 0) setupNote = `the repository's setup command \`${found.setupCommand}\` failed (exit ${setup.exitCode ?? setup.signal}): ${setup.stderr.trim().split('\n').slice(-2).join(' ')}`;
    }
  } catch (error) {
    return errorResults(selectedLabs(options), errorMessage(error), submission);
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LAB_BACKEND: 'external',
    LAB_DYNAMODB_ENDPOINT: services.dynamodb.endpoint,
    LAB_POSTGRES_URL: services.postgres.url,
    LAB_ALLOW_RESET: 'true',
    LAB_SUBMISSION: repo,
    LAB_RESULTS_DIR: options.outDir,
    LAB_JOURNAL_DIR: options.outDir,
    LAB_STEP_TIMEOUT_MS: String(config.stepTimeoutMs),
    LAB_OUTPUT_LIMIT_BYTES: String(config.outputLimitBytes),
    LAB_CACHE_DIR: config.cacheDir,
    FORCE_COLOR: options.log === 'inherit' ? process.env.FORCE_COLOR : '0',
  };
  const vitest = path.join(SUITE_ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const filters = (options.only ?? []).map((id) => `labs/week-05/${id}/`);
  const outcome = await runProcess(process.execPath, [vitest, 'run', '--project', 'labs', ...filters], {
    cwd: SUITE_ROOT,
    env,
    timeoutMs: options.repositoryTimeoutMs,
    outputLimitBytes: 64 * 1024 * 1024,
  });
  if (options.log === 'inherit') process.stdout.write(outcome.stdout + outcome.stderr);
  else {
    const stream = createWriteStream(options.log);
    stream.end(outcome.stdout + outcome.stderr);
  }

  let results: RunResults;
  if (!existsSync(resultsFile)) {
    const why = outcome.timedOut ? `grading took longer than ${Math.round(options.repositoryTimeoutMs / 1000)} s` : `the lab run ended without results (exit ${outcome.exitCode ?? outcome.signal})`;
    results = errorResults(selectedLabs(options), why, submission);
  } else {
    results = await readResults(resultsFile);
  }
  // The labs saw the services as `external`; record what really served them, and the repository's commit.
  return {
    ...results,
    backend: services.backend,
    services,
    submission,
    ...(setupNote ? { message: [results.message, setupNote].filter(Boolean).join('; ') } : {}),
  };
}

/** The labs a grading run covers. */
export function selectedLabs(options: Pick<GradeOptions, 'labs' | 'only'>): readonly LabDefinition[] {
  return options.only ? options.labs.filter((lab) => options.only?.includes(lab.id)) : options.labs;
}
