import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCompose, type ComposeFile } from '../../labs/week-05/01-dynamodb-local/compose-file.ts';
import { sharedDbInContainer } from '../../labs/week-05/01-dynamodb-local/learner-dynamodb.ts';
import { loadConfig } from '../../src/config/load-config.ts';
import { OFFLINE_IMAGES } from '../../src/config/versions.ts';
import { LearnerFailure } from '../../src/errors.ts';
import { ROLE_LABEL } from '../../src/labkit/isolated-container.ts';
import { readResults } from '../../src/renderers/index.ts';
import type { RunResults } from '../../src/results/model.ts';
import { FIXTURES, materialize, readExpected, tempDir } from '../grader/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const config = loadConfig();
const docker = (args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 30_000 });

/** Why the learner's DynamoDB Local service cannot be run here, or undefined when it can. */
function unavailable(): string | undefined {
  if (docker(['info']).status !== 0) return 'no Docker engine answers';
  const images = [config.dynamodbImage, OFFLINE_IMAGES.dynamodb];
  if (!images.some((image) => docker(['image', 'inspect', image]).status === 0)) return `none of ${images.join(', ')} is present (npm run images:offline)`;
  return undefined;
}

const ours = (): string[] => docker(['ps', '-aq', '--filter', `label=${ROLE_LABEL}=learner-service`]).stdout.split('\n').filter(Boolean);

const why = unavailable();
if (why) console.warn(`[compose] skipping the learner's own DynamoDB Local service: ${why}`);

/** The grader CLI on lab 01 only: the lab that reads (and now runs) the compose file. */
function gradeLab01(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', path.join(ROOT, 'src/runner/register-typescript.mjs'), path.join(ROOT, 'scripts/grade.ts'), '--labs', '01', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 10 * 60_000,
  });
}

const FIXTURE_NAMES = ['pass/course-final', 'container/port-8001', 'container/jar-typo', 'container/shareddb-as-dbpath'];

describe.skipIf(why !== undefined)("lab 01 runs the learner's own DynamoDB Local service from their compose file", () => {
  // Made in beforeAll: a skipped suite's body still runs, and its after-hooks do not.
  let classDir: string;
  let outDir: string;
  const before = new Set<string>();
  let run: ReturnType<typeof gradeLab01>;

  beforeAll(() => {
    classDir = tempDir('cruddur-containers-');
    outDir = tempDir('cruddur-containers-out-');
    for (const id of ours()) before.add(id);
    for (const fixture of FIXTURE_NAMES) materialize(fixture, classDir);
    run = gradeLab01(['--many', classDir, '--out', outDir]);
  }, 10 * 60_000);

  afterAll(() => {
    // Only what this file's own runs might have left: nothing, if the lab cleans up (asserted below).
    const left = ours().filter((id) => !before.has(id));
    if (left.length > 0) docker(['rm', '--force', ...left]);
  });

  it('grades the class, and leaves no container behind', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    expect(run.status, run.stdout.slice(-3000)).toBe(1);
    expect(ours().filter((id) => !before.has(id))).toEqual([]);
  });

  describe.each(FIXTURE_NAMES)('%s', (fixture) => {
    const expected = readExpected(fixture);
    let results: RunResults;
    beforeAll(async () => {
      results = await readResults(path.join(outDir, fixture.replace('/', '--'), 'results.json'));
    });

    it('fails exactly the tasks its command breaks, with the reason', () => {
      const failing = results.tests.filter((t) => t.status !== 'pass');
      expect(failing.map((t) => `${t.task_id} ${t.status}`)).toEqual(expected.fail.map((id) => `${id} fail`));
      for (const [taskId, pattern] of Object.entries(expected.messages ?? {})) {
        expect(results.tests.find((t) => t.task_id === taskId)?.message).toMatch(new RegExp(pattern, 's'));
      }
    });
  });

  it("records that the course's command really ran and shared its database", async () => {
    const results = await readResults(path.join(outDir, 'pass--course-final', 'results.json'));
    const task = results.tests.find((t) => t.task_id === '01-dynamodb-local/2');
    expect(task?.message).toMatch(/started from the file in a container \(.+\), it shares one database/);
    expect(task?.evidence?.learnerContainer).toMatchObject({ ran: true, command: '-jar DynamoDBLocal.jar -sharedDb -dbPath ./data' });
  });

  it('with LAB_LEARNER_CONTAINERS=never reads the file only, and says so', async () => {
    const out = tempDir('cruddur-containers-never-');
    const repo = path.join(classDir, 'container--port-8001');
    const never = gradeLab01([repo, '--out', out], { LAB_LEARNER_CONTAINERS: 'never' });
    expect(never.status, never.stderr).toBe(0);
    const task = (await readResults(path.join(out, 'results.json'))).tests.find((t) => t.task_id === '01-dynamodb-local/2');
    expect(task?.status).toBe('pass');
    expect(task?.message).toMatch(/not started in a container: LAB_LEARNER_CONTAINERS=never/);
  }, 5 * 60_000);

  it('fails a command without -sharedDb when it runs: a table made with one key is invisible to another', async () => {
    const file = parseCompose('docker-compose.yml', readFileSync(path.join(FIXTURES, 'fail/compose-no-shareddb/docker-compose.yml'), 'utf8')) as ComposeFile;
    const service = file.services.find((s) => s.name === 'dynamodb-local');
    expect(service?.command).toEqual(['-jar', 'DynamoDBLocal.jar', '-dbPath', './data']);
    const failure = await sharedDbInContainer(service!, config, 'the README').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LearnerFailure);
    expect((failure as Error).message).toMatch(/keeps one database per access key and region/);
    expect(ours().filter((id) => !before.has(id))).toEqual([]);
  }, 2 * 60_000);
});
