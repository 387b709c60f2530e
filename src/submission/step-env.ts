import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { ConnectionConvention } from './database-conventions.ts';
import { FAKE_AWS } from '../config/versions.ts';
import { captured, probeToolDirs } from '../sandbox/host.ts';
import { probed, probedAsync } from '../sandbox/probe-cache.ts';
import type { StepServices } from './types.ts';

/**
 * The only variables of the grader's own environment a learner's step gets: where programs are, the locale and
 * the terminal. Anything else (a CI token, real AWS keys, the suite's settings) could leak into its output or,
 * outside a grading worker's network, out of the machine.
 */
const KEPT = /^(PATH|HOME|LANG|LANGUAGE|LC_[A-Z_]+|TZ|TERM|PYTHONPATH|PYENV_ROOT|PYENV_VERSION)$/;

/** Debian's psycopg (python3-psycopg) made importable by any python3 3.11 through a small shim dir. */
const DEBIAN_PY_PACKAGES = ['psycopg', 'psycopg_pool'];

/** A directory that makes Debian's psycopg importable, or undefined when python3-psycopg is not installed. */
export function pythonShim(cacheDir: string): string | undefined {
  const source = '/usr/lib/python3/dist-packages';
  const present = DEBIAN_PY_PACKAGES.filter((name) => existsSync(path.join(source, name)));
  if (present.length === 0) return undefined;
  const shim = path.join(cacheDir, 'python-path');
  mkdirSync(shim, { recursive: true });
  for (const name of present) {
    const link = path.join(shim, name);
    if (!existsSync(link)) symlinkSync(path.join(source, name), link);
  }
  return shim;
}

/**
 * The directory of the python3 that PATH resolves to. Version-manager shims (pyenv) cost a shell script per
 * call; putting the interpreter's own directory first makes every learner step start faster, same python.
 */
function pythonBinDir(env: NodeJS.ProcessEnv): string | undefined {
  const bin = probed<string | null>(pythonBinKey(env), () => pythonBinFrom(spawnSync('python3', PYTHON_BIN, { env, encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] })));
  return bin ?? undefined;
}

const pythonBinKey = (env: NodeJS.ProcessEnv): string => `python-bin:${env.PATH ?? ''}`;
const PYTHON_BIN = ['-c', 'import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))'];
const pythonBinFrom = (probe: { status: number | null; stdout: string }): string | null => (probe.status === 0 ? probe.stdout.trim() || null : null);

/** The variables of `base` a learner's step keeps. */
function keptVariables(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([key, value]) => KEPT.test(key) && value !== undefined));
}

/**
 * What `learnerEnv` and the sandbox probe (python3's directories, the AWS CLI's), found without blocking: a grading
 * worker runs this while its services start, and its lab runs find the answers cached.
 */
export async function probeLearnerTools(cacheDir: string, base: NodeJS.ProcessEnv = process.env): Promise<void> {
  const kept = keptVariables(base);
  await probedAsync(pythonBinKey(kept), async () => pythonBinFrom(await captured('python3', PYTHON_BIN, kept, 15_000)));
  await probeToolDirs(learnerEnv({ dynamodbEndpoint: '', postgresUrl: '' }, { cacheDir, base }));
}

/**
 * The environment a learner's step runs in: the services where the course expects them, fake credentials,
 * no real credential or AWS profile (the runner gives it an empty home: no ~/.aws), and every non-local HTTP(S)
 * request sent to a closed local port so that nothing can reach real AWS even without the sandbox's network
 * namespace.
 */
export function learnerEnv(
  services: StepServices,
  options: { cacheDir: string; base?: NodeJS.ProcessEnv; connection?: ConnectionConvention },
): NodeJS.ProcessEnv {
  const base = options.base ?? process.env;
  const env = keptVariables(base);
  const shim = pythonShim(options.cacheDir);
  const pythonPath = [base.PYTHONPATH, shim].filter(Boolean).join(path.delimiter);
  const blackHole = 'http://127.0.0.1:9';
  const bin = pythonBinDir(env);
  const pathValue = [bin, env.PATH].filter(Boolean).join(path.delimiter);
  return {
    ...env,
    PATH: pathValue,
    AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS.secretAccessKey,
    AWS_REGION: FAKE_AWS.region,
    AWS_DEFAULT_REGION: FAKE_AWS.region,
    AWS_ENDPOINT_URL: services.dynamodbEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamodbEndpoint,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // botocore's legacy retries spend ~25 s on an unreachable host; standard mode gives up after 3 attempts.
    AWS_RETRY_MODE: 'standard',
    AWS_MAX_ATTEMPTS: '3',
    ...postgresVariables(services.postgresUrl, options.connection ?? { form: 'database' }),
    HTTP_PROXY: blackHole,
    HTTPS_PROXY: blackHole,
    http_proxy: blackHole,
    https_proxy: blackHole,
    NO_PROXY: 'localhost,127.0.0.1,::1',
    no_proxy: 'localhost,127.0.0.1,::1',
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...(pythonPath ? { PYTHONPATH: pythonPath } : {}),
  };
}

/**
 * The Postgres variables in each form learners used: `CONNECTION_URL` with the database (the course) or without
 * it when the repository appends `/<DB_NAME>` itself, `DB_NAME`, `DATABASE_URL` and `LOCAL_CONNECTION_URL`.
 * Nothing named PROD is ever given a value.
 */
export function postgresVariables(postgresUrl: string, connection: ConnectionConvention): Record<string, string> {
  if (!postgresUrl) return { CONNECTION_URL: '', DATABASE_URL: '' };
  const url = new URL(postgresUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const server = `${url.protocol}//${url.username}${url.password ? `:${url.password}` : ''}@${url.host}`;
  return {
    CONNECTION_URL: connection.form === 'server' ? server : postgresUrl,
    DATABASE_URL: postgresUrl,
    LOCAL_CONNECTION_URL: postgresUrl,
    ...(database ? { DB_NAME: database } : {}),
  };
}
