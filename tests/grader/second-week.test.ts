// A second week under tests/fixtures/weeks/week-99 (one lab, one task, its own journal): LAB_WEEK names its manifest,
// and the same code runs it, grades a class with it, writes every report and the journal. Nothing under src/ knows it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import { tempDir as makeTempDir } from './fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const WEEK = 'tests/fixtures/weeks/week-99';
const made: string[] = [];
const tempDir = (prefix: string): string => {
  const dir = makeTempDir(prefix);
  made.push(dir);
  return dir;
};
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function script(name: string, args: string[]) {
  return spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts', name), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, LAB_WEEK: `${WEEK}/index.ts`, LAB_STEP_TIMEOUT_MS: '20000' },
    timeout: 240_000,
  });
}

describe('a second week, named by LAB_WEEK', () => {
  it('grades a class with its labs, and writes its reports and its journal', () => {
    const klass = path.join(tempDir('cruddur-week99-'), 'class');
    cpSync(path.join(ROOT, WEEK, 'learner'), path.join(klass, 'ada'), { recursive: true });
    cpSync(path.join(ROOT, WEEK, 'learner-wrong'), path.join(klass, 'bob'), { recursive: true });
    const out = tempDir('cruddur-week99-out-');
    const run = script('grade.ts', ['--many', klass, '--out', out, '--jobs', '1']);
    expect(run.status, run.stderr).toBe(1);

    const ada = JSON.parse(readFileSync(path.join(out, 'ada/results.json'), 'utf8'));
    expect(ada).toMatchObject({ status: 'pass', score: 2, max_score: 2, labs: [{ id: '01-hello', title: 'Say hello (list-tables)', status: 'pass' }] });
    expect(ada.tests.map((t: { task_id: string }) => t.task_id)).toEqual(['01-hello/1']);
    expect(ada.tests[0].evidence.steps[0]).toMatchObject({ command: 'echo hello from week 99', exitCode: 0 });
    const bob = JSON.parse(readFileSync(path.join(out, 'bob/results.json'), 'utf8'));
    expect(bob).toMatchObject({ status: 'fail', score: 0, max_score: 2 });
    expect(bob.tests[0].message).toContain('did not say hello from week 99');

    const journal = readFileSync(path.join(out, 'ada/week99.md'), 'utf8');
    expect(journal.split('\n')[0]).toBe('# Week 99 journal: greetings');
    expect(journal).toContain('## Lab 01-hello: Say hello (list-tables)');
    expect(existsSync(path.join(out, 'ada/week99.html'))).toBe(true);
    expect(readdirSync(path.join(out, 'ada')).filter((name) => /week05|06-admin/.test(name))).toEqual([]);
    expect(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).toMatch(/ada[\s\S]*bob/);

    // The journal command renders the same week from a results file.
    const again = tempDir('cruddur-week99-journal-');
    const journalRun = script('journal.ts', ['--from', path.join(out, 'ada/results.json'), '--out', again]);
    expect(journalRun.status, journalRun.stderr).toBe(0);
    expect(readFileSync(path.join(again, 'week99.md'), 'utf8')).toContain('# Week 99 journal: greetings');
  }, 300_000);

  it("refuses a manifest that is not a week, saying so", () => {
    const run = spawnSync(process.execPath, [...TYPESCRIPT_ARGS, path.join(ROOT, 'scripts/grade.ts'), path.join(ROOT, WEEK, 'learner')], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, LAB_WEEK: `${WEEK}/01-hello/lab.ts` },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`LAB_WEEK=${WEEK}/01-hello/lab.ts: its default export is not a week`);
  }, 60_000);
});
