import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { pythonShim } from '../../src/submission/step-env.ts';

export const FIXTURES = new URL('../fixtures/submissions/', import.meta.url).pathname;

/** What a fixture's expected.json says (see tests/fixtures/submissions/README.md). */
export interface Expected {
  description: string;
  base?: string;
  fail: string[];
  remove?: string[];
  /** Regexes the failure messages of some tasks must match. */
  messages?: Record<string, string>;
}

/** Every fixture: `pass/<name>`, `fail/<cause>`, `error/<cause>`, each a directory with expected.json. */
export function listFixtures(): string[] {
  return ['pass', 'fail', 'error'].flatMap((group) => {
    const dir = path.join(FIXTURES, group);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((name) => statSync(path.join(dir, name)).isDirectory() && existsSync(path.join(dir, name, 'expected.json')))
      .map((name) => `${group}/${name}`);
  });
}

export function readExpected(fixture: string): Expected {
  return JSON.parse(readFileSync(path.join(FIXTURES, fixture, 'expected.json'), 'utf8')) as Expected;
}

/** Builds a fixture as a repository: its base, the overlay on top, minus the removed paths. */
export function materialize(fixture: string, into: string): string {
  const expected = readExpected(fixture);
  const target = path.join(into, fixture.replace('/', '--'));
  const skipExpected = (src: string) => path.basename(src) !== 'expected.json';
  if (expected.base) cpSync(path.join(FIXTURES, expected.base), target, { recursive: true, filter: skipExpected });
  cpSync(path.join(FIXTURES, fixture), target, { recursive: true, filter: skipExpected });
  for (const removed of expected.remove ?? []) rmSync(path.join(target, removed), { recursive: true, force: true });
  return target;
}

const made: string[] = [];

/** A new folder under the temporary folder, removed by removeTempDirs (after each test file: tests/setup). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Removes the folders tempDir made; one that cannot be removed is named, and fails nothing. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      console.warn(`could not remove the test folder ${dir}: ${(error as Error).message}`);
    }
  }
}

/**
 * Why the learner fixtures cannot run here, or undefined when they can: they need python3 with boto3 and
 * psycopg (Debian's python3-psycopg and python3-psycopg-pool; .ci/run installs them) and the AWS CLI.
 */
export function learnerToolsMissing(): string | undefined {
  const shim = pythonShim(loadConfig().cacheDir);
  const python = spawnSync('python3', ['-c', 'import boto3, psycopg, psycopg_pool'], {
    env: { ...process.env, PYTHONPATH: [process.env.PYTHONPATH, shim].filter(Boolean).join(path.delimiter) },
    encoding: 'utf8',
  });
  if (python.status !== 0) return `python3 cannot import boto3, psycopg and psycopg_pool (${python.stderr.trim().split('\n').at(-1) ?? python.error?.message}); install them with \`apt-get install python3-psycopg python3-psycopg-pool\``;
  const aws = spawnSync('aws', ['--version'], { encoding: 'utf8' });
  if (aws.status !== 0) return 'the AWS CLI (`aws`) is not installed';
  return undefined;
}
