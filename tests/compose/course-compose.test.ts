import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../src/renderers/index.ts';
import { probeDynamoDb, probePostgres } from '../../src/services/probes.ts';
import { waitUntil } from '../../src/services/wait-until.ts';
import { tempDir } from '../grader/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const PROJECT = `cruddurlabs${process.pid}`;
const compose = (args: string[]) =>
  spawnSync('docker-compose', ['-p', PROJECT, '-f', path.join(ROOT, 'docker-compose.yml'), ...args], { encoding: 'utf8', timeout: 180_000 });

/** Why the course's compose file cannot be brought up here, or undefined when it can. */
function composeUnavailable(): string | undefined {
  if (spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 20_000 }).status !== 0) return 'no Docker engine answers';
  if (spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status !== 0) return 'docker-compose is not installed';
  for (const variable of ['LAB_DYNAMODB_IMAGE', 'LAB_POSTGRES_IMAGE']) {
    const image = process.env[variable];
    if (!image) return `${variable} is not set (npm run images:offline builds images that work offline)`;
    if (spawnSync('docker', ['image', 'inspect', image], { encoding: 'utf8' }).status !== 0) return `image ${image} is not present`;
  }
  return undefined;
}

/** The labs against the compose services through the external backend, as a separate vitest run. */
function runLabs(filters: string[], env: NodeJS.ProcessEnv, timeoutMs: number) {
  return spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'labs', ...filters], {
    cwd: ROOT,
    env: {
      ...process.env,
      LAB_BACKEND: 'external',
      LAB_DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      LAB_POSTGRES_URL: 'postgresql://postgres:password@127.0.0.1:5432/cruddur',
      ...env,
    },
    encoding: 'utf8',
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
  });
}

const unavailable = composeUnavailable();
if (unavailable) console.warn(`[compose] skipping the course's docker compose test: ${unavailable}`);

describe.skipIf(unavailable !== undefined)("the course's docker compose, graded through the external backend", () => {
  // Made in beforeAll: a skipped suite's body still runs, and its after-hooks do not.
  let results: string;

  beforeAll(async () => {
    results = tempDir('cruddur-compose-');
    const up = compose(['up', '-d']);
    expect(up.status, up.stderr).toBe(0);
    await waitUntil(() => probeDynamoDb('http://127.0.0.1:8000'), { timeoutMs: 60_000, intervalMs: 200 });
    await waitUntil(() => probePostgres('postgresql://postgres:password@127.0.0.1:5432/cruddur'), { timeoutMs: 60_000, intervalMs: 200 });
  }, 240_000);

  afterAll(() => {
    compose(['down', '-v', '--remove-orphans']);
  }, 120_000);

  it('passes every lab with the reference solution against the compose services', async () => {
    // The compose services were started by this test for it alone, so the labs may reset them.
    const run = runLabs([], { LAB_ALLOW_RESET: 'true', LAB_RESULTS_DIR: results, LAB_JOURNAL_DIR: results }, 15 * 60_000);
    const outcome = await readResults(path.join(results, 'results.json'));
    const notPassed = outcome.tests.filter((t) => t.status !== 'pass' && t.max_score > 0).map((t) => `${t.task_id}: ${t.message}`);
    expect(notPassed, run.stdout.slice(-3000)).toEqual([]);
    expect(outcome.backend).toBe('external');
    expect(outcome.services?.owned).toBe(true);
  }, 20 * 60_000);

  it('refuses to reset the compose services without LAB_ALLOW_RESET, and says how', async () => {
    const run = runLabs(['labs/week-05/02-create-table/'], { LAB_ALLOW_RESET: 'false', LAB_RESULTS_DIR: results }, 5 * 60_000);
    expect(run.status).not.toBe(0);
    const outcome = await readResults(path.join(results, 'results.json'));
    // The previous test left tables behind: the labs must not drop them, and must not blame the learner.
    expect(outcome.tests.every((t) => t.status === 'error')).toBe(true);
    expect(outcome.tests[0]?.message).toMatch(/will not drop your data.*LAB_ALLOW_RESET=true/s);
  }, 10 * 60_000);
});
