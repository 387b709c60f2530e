import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { mergeClassOutputs } from '../../../src/grader/merge-class.ts';
import type { RunResults } from '../../../src/results/model.ts';
import { erroredRun, failingRun, passingRun, runResults, taskResult } from '../../fixtures/results.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'merge-class-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One shard's output folder as `grade --many` leaves it: a folder per repository (null: no results.json). */
async function shard(name: string, repos: Record<string, RunResults | null>): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  // `grade --many` also writes its own gradebook beside the repository folders: the merge ignores it.
  await writeFile(path.join(dir, 'gradebook.csv'), 'repository\r\n');
  for (const [repo, results] of Object.entries(repos)) {
    await mkdir(path.join(dir, repo), { recursive: true });
    await writeFile(path.join(dir, repo, 'junit.xml'), '<testsuites/>');
    if (results) await writeFile(path.join(dir, repo, 'results.json'), JSON.stringify(results));
  }
  return dir;
}

const withCommit = (results: RunResults, commit: string): RunResults => ({ ...results, submission: { ...results.submission, commit } });
const csvLines = (text: string): string[] => text.split('\r\n').filter(Boolean);

async function expectConfigError(promise: Promise<unknown>, ...parts: Array<string | RegExp>): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  for (const part of parts) expect((error as Error).message).toMatch(part);
}

describe('mergeClassOutputs', () => {
  it('merges two shards into one gradebook sorted by repository name, and a class summary', async () => {
    const one = await shard('shard-1', { carol: withCommit(passingRun(), 'c0c0c0c0c0c0'), alice: failingRun() });
    const two = await shard('shard-2', { bob: withCommit(passingRun(), 'b0b0b0b'), Zed: passingRun(), dave: passingRun() });
    const out = path.join(root, 'merged', 'gradebook');

    const merged = await mergeClassOutputs([two, one], out);

    expect(merged.rows.map((row) => row.name)).toEqual(['Zed', 'alice', 'bob', 'carol', 'dave']);
    expect(merged.rows.find((row) => row.name === 'carol')?.commit).toBe('c0c0c0c0c0c0');
    expect(merged.gradebook).toBe(path.join(out, 'gradebook.csv'));
    expect(merged.summary).toBe(path.join(out, 'class-summary.md'));
    expect(merged.exitCode).toBe(1);

    const lines = csvLines(await readFile(merged.gradebook, 'utf8'));
    expect(lines[0]).toBe('repository,commit,status,score,max_score,01-dynamodb-local,02-create-table,message');
    expect(lines.slice(1).map((line) => line.split(',').slice(0, 5).join(','))).toEqual([
      'Zed,abc1234,pass,7,7',
      'alice,abc1234,fail,5,7',
      'bob,b0b0b0b,pass,7,7',
      'carol,c0c0c0c0c0c0,pass,7,7',
      'dave,abc1234,pass,7,7',
    ]);
    const summary = await readFile(merged.summary, 'utf8');
    expect(summary).toContain('5 repositories: **4 pass**, **1 fail**, **0 could not be graded** (error).');
    expect(summary).toContain('| carol | pass | 7 / 7 | c0c0c0c |');
    // Only the two merged files (and the mark that the suite wrote the folder): nothing else is copied from the shards.
    expect((await readdir(out)).sort()).toEqual(['.cruddur-labs-reports', 'class-summary.md', 'gradebook.csv']);
  });

  it('exits 0 when every repository passed', async () => {
    const merged = await mergeClassOutputs(
      [await shard('s1', { a: passingRun() }), await shard('s2', { b: passingRun() })],
      path.join(root, 'out'),
    );
    expect(merged.exitCode).toBe(0);
  });

  it('turns a repository folder without results.json into a row that could not be graded, and exits 2', async () => {
    const one = await shard('shard-1', { alice: passingRun(), bob: null });
    const two = await shard('shard-2', { carol: failingRun() });

    const merged = await mergeClassOutputs([one, two], path.join(root, 'out'));

    const bob = merged.rows.find((row) => row.name === 'bob');
    expect(bob?.results).toBeNull();
    expect(bob?.error).toContain(`The results file ${path.join(one, 'bob', 'results.json')} is missing`);
    expect(bob?.error).toContain('Re-run that shard');
    expect(merged.exitCode).toBe(2);
    const lines = csvLines(await readFile(merged.gradebook, 'utf8'));
    expect(lines[2]).toMatch(/^bob,,error,,,,,"?The results file .* is missing/);
  });

  it('turns an invalid results.json into a row that could not be graded', async () => {
    const one = await shard('shard-1', { alice: passingRun(), bob: null });
    await writeFile(path.join(one, 'bob', 'results.json'), '{"version": 1, "status": "pa');
    const merged = await mergeClassOutputs([one], path.join(root, 'out'));
    expect(merged.rows.map((row) => [row.name, row.results === null])).toEqual([['alice', false], ['bob', true]]);
    expect(merged.rows[1]?.error).toMatch(/cannot be used: The results file .* is not valid JSON/);
    expect(merged.exitCode).toBe(2);
  });

  it('exits 2 when a repository could not be verified, even when the others failed', async () => {
    const merged = await mergeClassOutputs(
      [await shard('s1', { a: failingRun() }), await shard('s2', { b: erroredRun() })],
      path.join(root, 'out'),
    );
    expect(merged.exitCode).toBe(2);
    const scoredError = runResults([taskResult('01-dynamodb-local/1', { status: 'error' })]);
    const again = await mergeClassOutputs([await shard('s3', { c: passingRun(), d: scoredError })], path.join(root, 'out2'));
    expect(again.exitCode).toBe(2);
  });

  it('refuses shards that overlap, naming both folders', async () => {
    const one = await shard('shard-1', { alice: passingRun(), bob: passingRun() });
    const two = await shard('shard-2', { bob: failingRun(), carol: passingRun() });
    const out = path.join(root, 'out');
    await expectConfigError(mergeClassOutputs([one, two], out), 'shards overlap', 'repository bob', one, two, '--shard 1/n');
    expect(existsSync(out)).toBe(false);
  });

  it('takes the empty shard of a class smaller than the number of shards', async () => {
    const one = await shard('shard-1', { alice: passingRun() });
    const empty = await shard('shard-2', {});
    const merged = await mergeClassOutputs([one, empty], path.join(root, 'out'));
    expect(merged.rows.map((row) => row.name)).toEqual(['alice']);
    expect(merged.exitCode).toBe(0);
  });

  it('refuses the same folder given twice', async () => {
    const one = await shard('shard-1', { alice: passingRun() });
    await expectConfigError(mergeClassOutputs([one, path.join(one, '.')], path.join(root, 'out')), 'was given twice');
  });

  it('refuses a folder that does not exist, is a file, or holds no repository folder, saying what to pass', async () => {
    const out = path.join(root, 'out');
    const good = await shard('shard-1', { alice: passingRun() });
    const missing = path.join(root, 'shard-9');
    await expectConfigError(mergeClassOutputs([good, missing], out), `${missing} does not exist`, 'npm run grade -- --many');
    await expectConfigError(mergeClassOutputs([path.join(good, 'gradebook.csv')], out), 'is not a folder');
    const empty = path.join(root, 'not-a-shard');
    await mkdir(path.join(empty, '.hidden'), { recursive: true });
    await expectConfigError(mergeClassOutputs([empty], out), `${empty} holds no repository folder`, 'one folder per repository');
    await expectConfigError(mergeClassOutputs([], out), 'No folder to merge');
    expect(existsSync(out)).toBe(false);
  });
});
