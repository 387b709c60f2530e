import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { SANDBOX_CHOICES, type SandboxChoice } from '../sandbox/detect.ts';
import type { SandboxLimits } from '../sandbox/limits.ts';
import { COURSE_POSTGRES } from '../course/postgres-account.ts';
import { IMAGES } from './versions.ts';

export const BACKENDS = ['auto', 'containers', 'embedded', 'external'] as const;
export type BackendChoice = (typeof BACKENDS)[number];

/** The role and database a started Postgres gives its users (the course's, for these labs). */
export interface PostgresAccount {
  user: string;
  password: string;
  database: string;
}

/** Everything the suite reads from the environment, parsed and checked once. */
export interface LabConfig {
  backend: BackendChoice;
  /** Host ports to bind; undefined means a random free port. */
  dynamodbPort: number | undefined;
  postgresPort: number | undefined;
  dynamodbImage: string;
  postgresImage: string;
  /** The role and database the started Postgres gives learner code: the course's (`postgres`/`password`, `cruddur`). */
  postgresAccount: PostgresAccount;
  external: {
    dynamodbEndpoint: string | undefined;
    postgresUrl: string | undefined;
    /** Labs reset tables they did not create only when the owner says so. */
    allowReset: boolean;
  };
  startupTimeoutMs: number;
  stepTimeoutMs: number;
  outputLimitBytes: number;
  java: string;
  /** `reference`, a learner repository directory, or a steps file (JSON map step -> command). */
  submission: string;
  resultsDir: string;
  cacheDir: string;
  /** Where the journal goes (`npm run journal`), with the week's screenshot in its assets folder. */
  journalDir: string;
  /** Chromium for the screenshots labs take of a browser page; undefined means look in the usual places (/usr/bin/chromium). */
  chromium: string | undefined;
  /** How learner code runs: in namespaces (bubblewrap), not sandboxed, or whichever works here. */
  sandbox: SandboxChoice;
  /** The unprivileged uid learner code runs as when the grader is root (each grading worker adds its number). */
  sandboxUid: number;
  limits: SandboxLimits;
  /** Whether a learner's Python script may start in an interpreter warmed ahead of it in the sandbox (as root). */
  warmPython: boolean;
  /** Host paths learner code must never see, besides the suite (set by the grader: the class folder). */
  sandboxHidden: string[];
  /** Whether labs may run a learner's own service from their compose file in an isolated container (a Docker engine is needed). */
  learnerContainers: 'auto' | 'never';
  /** For the suite's own tests: a lab whose preparation fails as if a service broke, once or every time. */
  fault: { lab: string; times: 'once' | 'always' } | undefined;
}

export const CONFIG_VARIABLES: ReadonlyArray<{ name: string; default: string; meaning: string }> = [
  { name: 'LAB_BACKEND', default: 'auto', meaning: `Service backend: ${BACKENDS.join(', ')}. auto tries containers, then embedded.` },
  { name: 'LAB_DYNAMODB_PORT', default: 'random (8000 when grading a repository)', meaning: 'Host port for DynamoDB Local.' },
  { name: 'LAB_POSTGRES_PORT', default: 'random', meaning: 'Host port for Postgres.' },
  { name: 'LAB_DYNAMODB_IMAGE', default: IMAGES.dynamodb, meaning: 'Image for the containers backend.' },
  { name: 'LAB_POSTGRES_IMAGE', default: IMAGES.postgres, meaning: 'Image for the containers backend.' },
  { name: 'LAB_DYNAMODB_ENDPOINT', default: '(none)', meaning: 'external backend: a DynamoDB Local endpoint on this machine, e.g. http://localhost:8000.' },
  { name: 'LAB_POSTGRES_URL', default: '(none)', meaning: 'external backend: a Postgres URL on this machine, e.g. postgresql://postgres:password@localhost:5432/cruddur.' },
  { name: 'LAB_ALLOW_RESET', default: 'false', meaning: 'external backend: let labs drop tables and users they did not create.' },
  { name: 'LAB_STARTUP_TIMEOUT_MS', default: '60000', meaning: 'How long a service may take to become ready.' },
  { name: 'LAB_STEP_TIMEOUT_MS', default: '60000', meaning: "How long one learner step (a script) may run before its process tree is killed." },
  { name: 'LAB_OUTPUT_LIMIT_BYTES', default: '16777216', meaning: "Output captured from one learner step; a step that prints more is stopped." },
  { name: 'LAB_JAVA', default: 'java', meaning: 'Java used by the embedded DynamoDB Local.' },
  { name: 'LAB_SUBMISSION', default: 'reference', meaning: 'Who performs the steps: reference, a learner repository directory, or a steps JSON file.' },
  { name: 'LAB_RESULTS_DIR', default: 'reports', meaning: "Where results.json is written (by npm test and npm run labs, with labs.log), and npm run grade's reports unless --out is given (in class/ under it with --many)." },
  { name: 'LAB_CACHE_DIR', default: '.cache', meaning: 'Cache for offline images and other downloads.' },
  { name: 'LAB_JOURNAL_DIR', default: 'journal', meaning: "Where npm run journal writes the week's journal (<name>.md and .html, named by the week's manifest) and its screenshot (in the journal's assets folder)." },
  { name: 'LAB_SANDBOX', default: 'auto', meaning: `How learner code runs: ${SANDBOX_CHOICES.join(', ')}. auto uses namespaces (bubblewrap) where they work and says why not otherwise.` },
  { name: 'LAB_SANDBOX_UID', default: '61000', meaning: 'When grading as root: the first unprivileged uid (and gid) for learner code; each grading worker, and each run, claims a free one from here.' },
  { name: 'LAB_LIMIT_PROCESSES', default: '256', meaning: 'Processes and threads a learner step may run at once.' },
  { name: 'LAB_LIMIT_MEMORY_MB', default: '4096', meaning: 'Address space of each learner process, in MiB.' },
  { name: 'LAB_LIMIT_FILE_SIZE_MB', default: '512', meaning: 'Largest file a learner process may write, in MiB.' },
  { name: 'LAB_LIMIT_CPU_SECONDS', default: '120', meaning: 'CPU seconds of each learner process.' },
  { name: 'LAB_WARM_PYTHON', default: 'true', meaning: "When grading as root in the sandbox: a learner's `#!/usr/bin/env python3` scripts run in a resident interpreter of its repository that imported boto3 and psycopg once and forks for each step (0.25-0.35 CPU s less per step); false starts each one cold." },
  { name: 'LAB_SANDBOX_HIDDEN', default: '(none)', meaning: 'Set by the grader: host paths (separated by `:`) learner code must not see, such as the class folder.' },
  { name: 'LAB_LEARNER_CONTAINERS', default: 'auto', meaning: "When grading a repository: auto runs the learner's own DynamoDB Local service from their compose file (their command, in a container with no network, removed afterwards) where a Docker engine answers and a DynamoDB Local image is present; never checks the compose file only." },
  { name: 'LAB_FAULT', default: '(none)', meaning: "For the suite's own tests: `<lab id>:once` or `<lab id>:always` makes that lab's preparation fail as a service failure would (once: the grader's regrade passes; always: the run is not graded)." },
  { name: 'LAB_CHROMIUM', default: '/usr/bin/chromium', meaning: "Chromium (or Chrome) for the screenshots labs take of a browser page; without one those tasks report error." },
];

type Env = Record<string, string | undefined>;

function readFault(raw: string | undefined): LabConfig['fault'] {
  const text = raw?.trim();
  if (!text) return undefined;
  const match = /^([\w-]+):(once|always)$/.exec(text);
  if (!match?.[1] || !match[2]) throw new ConfigError(`LAB_FAULT=${text} is not \`<lab id>:once\` or \`<lab id>:always\` (it is for the suite's own tests; unset it).`);
  return { lab: match[1], times: match[2] as 'once' | 'always' };
}

function readInt(env: Env, name: string, fallback: number | undefined, min: number, max: number): number | undefined {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not a whole number. Set it to a number from ${min} to ${max}, or unset it.`);
  }
  const value = Number(raw);
  if (value < min || value > max) {
    throw new ConfigError(`${name}=${value} is out of range. Set it to a number from ${min} to ${max}, or unset it.`);
  }
  return value;
}

function readBool(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  throw new ConfigError(`${name}=${JSON.stringify(env[name])} is not a yes/no value. Use true or false.`);
}

function readLearnerContainers(env: Env): LabConfig['learnerContainers'] {
  const raw = (env.LAB_LEARNER_CONTAINERS ?? '').trim().toLowerCase() || 'auto';
  if (raw === 'auto' || raw === 'never') return raw;
  throw new ConfigError(`LAB_LEARNER_CONTAINERS=${JSON.stringify(env.LAB_LEARNER_CONTAINERS)} is not auto or never.`);
}

function readSandbox(env: Env): SandboxChoice {
  const raw = (env.LAB_SANDBOX ?? '').trim().toLowerCase() || 'auto';
  if ((SANDBOX_CHOICES as readonly string[]).includes(raw)) return raw as SandboxChoice;
  throw new ConfigError(`LAB_SANDBOX=${JSON.stringify(env.LAB_SANDBOX)} is not a sandbox mode. Valid values: ${SANDBOX_CHOICES.join(', ')}.`);
}

function readBackend(env: Env): BackendChoice {
  const raw = (env.LAB_BACKEND ?? '').trim().toLowerCase() || 'auto';
  if ((BACKENDS as readonly string[]).includes(raw)) return raw as BackendChoice;
  throw new ConfigError(`LAB_BACKEND=${JSON.stringify(env.LAB_BACKEND)} is not a backend. Valid values: ${BACKENDS.join(', ')}.`);
}

/** A path (resolved against cwd) or a bare command name (looked up on PATH by whoever runs it). */
function readExecutable(raw: string | undefined, cwd: string): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  return value.includes('/') ? path.resolve(cwd, value) : value;
}

/** Parses the suite's configuration. Throws ConfigError naming the variable at fault. */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): LabConfig {
  const submission = env.LAB_SUBMISSION?.trim() || 'reference';
  const gradingRepository = submission !== 'reference';
  return {
    backend: readBackend(env),
    // Learner scripts hard-code http://localhost:8000, so a graded repository gets port 8000 unless told otherwise.
    dynamodbPort: readInt(env, 'LAB_DYNAMODB_PORT', gradingRepository ? 8000 : undefined, 1, 65535),
    postgresPort: readInt(env, 'LAB_POSTGRES_PORT', undefined, 1, 65535),
    dynamodbImage: env.LAB_DYNAMODB_IMAGE?.trim() || IMAGES.dynamodb,
    postgresImage: env.LAB_POSTGRES_IMAGE?.trim() || IMAGES.postgres,
    postgresAccount: { ...COURSE_POSTGRES },
    external: {
      dynamodbEndpoint: env.LAB_DYNAMODB_ENDPOINT?.trim() || undefined,
      postgresUrl: env.LAB_POSTGRES_URL?.trim() || undefined,
      allowReset: readBool(env, 'LAB_ALLOW_RESET'),
    },
    startupTimeoutMs: readInt(env, 'LAB_STARTUP_TIMEOUT_MS', 60_000, 1_000, 600_000) ?? 60_000,
    stepTimeoutMs: readInt(env, 'LAB_STEP_TIMEOUT_MS', 60_000, 1_000, 3_600_000) ?? 60_000,
    outputLimitBytes: readInt(env, 'LAB_OUTPUT_LIMIT_BYTES', 16 * 1024 * 1024, 1024, 1024 * 1024 * 1024) ?? 16 * 1024 * 1024,
    java: env.LAB_JAVA?.trim() || 'java',
    submission: gradingRepository ? path.resolve(cwd, submission) : 'reference',
    resultsDir: path.resolve(cwd, env.LAB_RESULTS_DIR?.trim() || 'reports'),
    cacheDir: path.resolve(cwd, env.LAB_CACHE_DIR?.trim() || '.cache'),
    journalDir: path.resolve(cwd, env.LAB_JOURNAL_DIR?.trim() || 'journal'),
    chromium: readExecutable(env.LAB_CHROMIUM, cwd),
    sandbox: readSandbox(env),
    sandboxUid: readInt(env, 'LAB_SANDBOX_UID', 61_000, 1_000, 4_000_000_000) ?? 61_000,
    limits: {
      processes: readInt(env, 'LAB_LIMIT_PROCESSES', 256, 16, 100_000) ?? 256,
      memoryMb: readInt(env, 'LAB_LIMIT_MEMORY_MB', 4096, 256, 1_048_576) ?? 4096,
      fileSizeMb: readInt(env, 'LAB_LIMIT_FILE_SIZE_MB', 512, 1, 1_048_576) ?? 512,
      cpuSeconds: readInt(env, 'LAB_LIMIT_CPU_SECONDS', 120, 1, 86_400) ?? 120,
    },
    warmPython: env.LAB_WARM_PYTHON?.trim() ? readBool(env, 'LAB_WARM_PYTHON') : true,
    learnerContainers: readLearnerContainers(env),
    fault: readFault(env.LAB_FAULT),
    sandboxHidden: (env.LAB_SANDBOX_HIDDEN ?? '').split(path.delimiter).map((p) => p.trim()).filter(Boolean).map((p) => path.resolve(cwd, p)),
  };
}
