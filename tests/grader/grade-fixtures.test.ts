import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readResults } from '../../src/renderers/index.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import { detectSandbox } from '../../src/sandbox/detect.ts';
import type { RunResults } from '../../src/results/model.ts';
import { FIXTURES, learnerToolsMissing, listFixtures, materialize, readExpected, tempDir } from './fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const fixtures = listFixtures();
const missing = learnerToolsMissing();
const sandbox = detectSandbox('auto', 61_000);
if (missing) console.warn(`[grader] skipping the learner fixtures: ${missing}`);

/** The grader CLI as an instructor runs it, with short limits so that the hanging fixture ends quickly. */
function grade(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/grade.ts'), ...args], {
    cwd: ROOT,
    env: { ...process.env, LAB_STEP_TIMEOUT_MS: '20000', LAB_OUTPUT_LIMIT_BYTES: String(4 * 1024 * 1024), ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

describe.skipIf(missing !== undefined)('grading the fixture submissions as a class', () => {
  const classDir = tempDir('cruddur-class-');
  const outDir = tempDir('cruddur-class-out-');
  let run: ReturnType<typeof grade>;

  beforeAll(() => {
    for (const fixture of fixtures) materialize(fixture, classDir);
    // Every known submission's verdict, with its Python scripts in warm interpreters (grade --many with a worker on
    // every core starts them cold; the other grading tests cover that).
    run = grade(['--many', classDir, '--out', outDir], { LAB_WARM_PYTHON: 'true' });
  }, 60 * 60_000);

  it('grades every repository and writes a gradebook with one row each', () => {
    expect(run.stderr).not.toMatch(/grade: /);
    // The terminal gets the grader's lines and the progress, not vitest's banner from each worker's start.
    expect(run.stderr + run.stdout).not.toMatch(/\bRUN\s+v\d+\.\d+/);
    // Each repository's labs.log is vitest's output of its run, without colour codes.
    const log = readFileSync(path.join(outDir, 'pass--course-final', 'labs.log'), 'utf8');
    expect(log).toMatch(/Test Files/);
    expect(log.includes(String.fromCharCode(27))).toBe(false);
    const csv = readFileSync(path.join(outDir, 'gradebook.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toMatch(/^repository,commit,status,score,max_score,01-dynamodb-local,/);
    expect(csv).toHaveLength(fixtures.length + 1);
    // Some fixtures fail on purpose, none could not be graded.
    expect(run.status).toBe(1);
  });

  describe.each(fixtures)('%s', (fixture) => {
    const expected = readExpected(fixture);
    const dir = path.join(outDir, fixture.replace('/', '--'));
    let results: RunResults;
    beforeAll(async () => {
      results = await readResults(path.join(dir, 'results.json'));
    });

    it('fails exactly the tasks its mistake breaks, passes all others', () => {
      const failing = results.tests.filter((t) => t.status !== 'pass').map((t) => `${t.task_id} ${t.status}: ${t.message.split('\n')[0]}`);
      const expectedFailing = results.tests.filter((t) => expected.fail.includes(t.task_id)).map((t) => t.task_id);
      expect(expectedFailing.sort()).toEqual([...expected.fail].sort());
      expect(failing.map((line) => line.split(' ')[0]).sort()).toEqual([...expected.fail].sort());
      for (const task of results.tests.filter((t) => expected.fail.includes(t.task_id))) expect(task.status, task.message).toBe('fail');
    });

    it('tells the learner why, in the words the fixture expects', () => {
      for (const [taskId, pattern] of Object.entries(expected.messages ?? {})) {
        const task = results.tests.find((t) => t.task_id === taskId);
        expect(task?.message).toMatch(new RegExp(pattern, 's'));
      }
    });

    it('has every report format beside its results', () => {
      for (const file of ['junit.xml', 'summary.md', 'classroom-result.txt', 'gradescope-results.json', 'week05.md', 'week05.html']) expect(existsSync(path.join(dir, file)), file).toBe(true);
    });
  });
});

describe.skipIf(missing !== undefined)('grading one repository', () => {
  it('exits 1 for a failing repository and writes the step summary and the Classroom output', () => {
    const dir = tempDir('cruddur-one-');
    const repo = materialize('fail/seed-one-group-commented', dir);
    const out = path.join(dir, 'out');
    const summary = path.join(dir, 'step-summary.md');
    const output = path.join(dir, 'github-output');
    writeFileSync(summary, '# earlier step\n');
    // Lab 06 needs a browser and does not depend on the repository: left out, so the outcome is the same anywhere.
    const labs = '01-dynamodb-local,02-create-table,03-seed,04-scan,05-list-tables,07-access-patterns';
    const run = grade([repo, '--out', out, '--labs', labs], { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output, LAB_TRACE: '1', LAB_WARM_PYTHON: 'true' });
    expect(run.status, run.stderr).toBe(1);
    if (sandbox.mode === 'namespaces' && sandbox.privileged) {
      // A worker alone starts the repository's resident interpreter while its services start, once: the first lab
      // finds it running.
      const log = readFileSync(path.join(out, 'labs.log'), 'utf8');
      expect(log.match(/resident interpreter started for /g), log).toHaveLength(1);
      expect(log.indexOf('resident interpreter started for ')).toBeLessThan(log.indexOf('01-dynamodb-local: prepare'));
    }
    const text = readFileSync(summary, 'utf8');
    expect(text).toMatch(/^# earlier step\n/);
    expect(text).toMatch(/03-seed\/2/);
    const line = readFileSync(output, 'utf8').trim();
    expect(line).toMatch(/^result=[A-Za-z0-9+/=]+$/);
    const decoded = JSON.parse(Buffer.from(line.slice('result='.length), 'base64').toString('utf8')) as { status: string };
    expect(decoded.status).toBe('fail');
  }, 10 * 60_000);

  /** Grades pass/course-final (labs 01 and 03) while something else listens on this machine's port 8000. */
  async function gradeWithPort8000Taken(env: NodeJS.ProcessEnv) {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(8000, '127.0.0.1', resolve));
    try {
      const dir = tempDir('cruddur-busy-');
      const repo = materialize('pass/course-final', dir);
      const out = path.join(dir, 'out');
      const run = grade([repo, '--out', out, '--labs', '01-dynamodb-local,03-seed'], env);
      return { run, out, results: await readResults(path.join(out, 'results.json')) };
    } finally {
      server.close();
    }
  }

  it('without the sandbox, exits 2 with a clear message when port 8000 is taken, and still writes results', async () => {
    const { run, results } = await gradeWithPort8000Taken({ LAB_SANDBOX: 'none' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/Port 8000 for DynamoDB Local is already in use/);
    expect(results.status).toBe('error');
    expect(results.tests.every((t) => t.status === 'error')).toBe(true);
    expect(results.environment.sandbox).toMatchObject({ mode: 'none', reason: 'turned off with LAB_SANDBOX=none' });
  }, 5 * 60_000);

  it.skipIf(sandbox.mode === 'none')("with the sandbox, grades in the worker's own network even when this machine's port 8000 is taken", async () => {
    const { run, out, results } = await gradeWithPort8000Taken({});
    expect(run.status, run.stderr).toBe(0);
    expect(results.status).toBe('pass');
    expect(results.environment.sandbox).toMatchObject({ mode: 'namespaces', detail: expect.stringMatching(/grading worker's own namespace \(loopback only/) });
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toMatch(/Learner code ran sandboxed/);
  }, 5 * 60_000);

  it('refuses a path that is not a directory, and an unknown lab, with usage', () => {
    const run = grade(['/nonexistent/repo']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is not a directory.*usage: npm run grade/s);
    const labs = grade([FIXTURES, '--labs', '09-nope']);
    expect(labs.status).toBe(2);
    expect(labs.stderr).toMatch(/unknown lab\(s\) 09-nope; the labs are 01-dynamodb-local/);
  });

  it('refuses a folder of repositories named without --many, and says so', () => {
    const classDir = tempDir('cruddur-class-no-many-');
    materialize('pass/course-final', classDir);
    mkdirSync(path.join(classDir, 'bob', '.git'), { recursive: true });
    mkdirSync(path.join(classDir, 'notes'));
    const run = grade([classDir, '--labs', '02-create-table']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${classDir} is a folder of repositories (bob, pass--course-final), not a repository: grade them all with --many ${classDir}`);
    expect(run.stdout).toBe('');
  });

  it("refuses an --out folder that holds someone else's files, and leaves them as they were", () => {
    const repo = materialize('pass/course-final', tempDir('cruddur-out-foreign-'));
    const out = tempDir('cruddur-out-foreign-out-');
    writeFileSync(path.join(out, 'summary.md'), 'my own notes\n');
    const run = grade([repo, '--out', out, '--labs', '02-create-table']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--out ${out} already holds files the suite did not write (summary.md)`);
    expect(readFileSync(path.join(out, 'summary.md'), 'utf8')).toBe('my own notes\n');
    const many = grade(['--many', path.dirname(repo), '--out', out]);
    expect(many.status).toBe(2);
    expect(many.stderr).toContain(`--out ${out} already holds files the suite did not write`);
  });

  it('refuses --many on a repository, or on a folder with nothing in it', () => {
    const repo = materialize('pass/course-final', tempDir('cruddur-many-one-'));
    const one = grade(['--many', repo]);
    expect(one.status).toBe(2);
    expect(one.stderr).toContain(`${repo} is a repository, not a folder of repositories: leave out --many to grade it.`);
    const empty = tempDir('cruddur-many-empty-');
    const none = grade(['--many', empty]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain(`${empty} holds no folder: --many grades each folder inside it, one repository per learner.`);
  });
});

describe.skipIf(missing !== undefined)('a service failure is never a grade', () => {
  it('grades a lab again when a service failed once, and the run counts as it should', async () => {
    const dir = tempDir('cruddur-flaky-');
    const repo = materialize('pass/course-final', dir);
    const out = path.join(dir, 'out');
    const run = grade([repo, '--out', out, '--labs', '01-dynamodb-local,03-seed'], { LAB_FAULT: '03-seed:once' });
    expect(run.status, run.stderr).toBe(0);
    const results = await readResults(path.join(out, 'results.json'));
    expect(results.status).toBe('pass');
    expect(results.tests.filter((t) => t.lab === '03-seed').every((t) => t.status === 'pass')).toBe(true);
    // The worker's own account of it is in the labs' log beside the reports.
    expect(readFileSync(path.join(out, 'labs.log'), 'utf8')).toMatch(/03-seed could not be verified; grading them once more on fresh services/);
  }, 5 * 60_000);

  it('posts no score for a repository whose service keeps failing: not graded in every format', async () => {
    const classDir = tempDir('cruddur-broken-class-');
    const outDir = tempDir('cruddur-broken-out-');
    materialize('pass/course-final', classDir);
    const run = grade(['--many', classDir, '--out', outDir, '--labs', '01-dynamodb-local,03-seed'], { LAB_FAULT: '03-seed:always' });
    expect(run.status, run.stderr).toBe(2);
    const dir = path.join(outDir, 'pass--course-final');
    const results = await readResults(path.join(dir, 'results.json'));
    expect(results.status).toBe('error');
    expect(results.tests.find((t) => t.task_id === '03-seed/1')?.message).toMatch(/injected by LAB_FAULT/);
    const classroom = JSON.parse(Buffer.from(readFileSync(path.join(dir, 'classroom-result.txt'), 'utf8').trim(), 'base64').toString('utf8')) as {
      status: string;
      max_score: number;
      tests: Array<{ name: string; score: number }>;
    };
    expect(classroom).toMatchObject({ status: 'error', max_score: 0 });
    expect(classroom.tests[0]?.name).toBe('Not graded');
    expect(classroom.tests.every((t) => t.score === 0)).toBe(true);
    const gradescope = JSON.parse(readFileSync(path.join(dir, 'gradescope-results.json'), 'utf8')) as { output: string; extra_data: { gradable: boolean } };
    expect(gradescope.output).toMatch(/^NOT GRADED: /);
    expect(gradescope.extra_data.gradable).toBe(false);
    const row = readFileSync(path.join(outDir, 'gradebook.csv'), 'utf8').trim().split('\n')[1] ?? '';
    expect(row).toMatch(/^pass--course-final,[^,]*,error,,,/);
  }, 5 * 60_000);
});
