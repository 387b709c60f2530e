import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResults, readResults, ResultsFileError } from '../../../src/renderers/read-results.ts';
import { erroredRun, specialCharsRun } from '../../fixtures/results.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'read-results-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

async function failure(file: string): Promise<ResultsFileError> {
  const error: unknown = await readResults(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ResultsFileError)) throw new Error(`expected a ResultsFileError, got ${String(error)}`);
  return error;
}

describe('readResults', () => {
  it('reads back a results file exactly as written', async () => {
    const results = specialCharsRun();
    const file = await write('ok.json', JSON.stringify(results, null, 2));
    await expect(readResults(file)).resolves.toEqual(results);
  });

  it('says the file is missing, what to run, and keeps the cause', async () => {
    const error = await failure(join(dir, 'nope.json'));
    expect(error.message).toContain('There is no results file at');
    expect(error.message).toContain('npm test');
    expect(error.cause).toMatchObject({ code: 'ENOENT' });
    expect(error.fault).toBe('setup');
  });

  it('says the file is not JSON (a cut-off run) and keeps the parser error', async () => {
    const error = await failure(await write('cut.json', '{"version": 1, "tests": ['));
    expect(error.message).toMatch(/is not valid JSON .*npm test/);
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('rejects another format version with what to do', async () => {
    const error = await failure(await write('v2.json', JSON.stringify({ ...erroredRun(), version: 2 })));
    expect(error.message).toContain('format version 2');
    expect(error.message).toContain('npm test');
  });

  it('names every wrong field by its path', () => {
    const bad = JSON.parse(JSON.stringify(erroredRun())) as Record<string, unknown> & { tests: Array<Record<string, unknown>> };
    delete bad.started_at;
    bad.score = '7';
    const third = bad.tests[2];
    if (third) third.status = 'skipped';
    const first = bad.tests[0];
    if (first) delete first.message;
    expect(() => parseResults(bad, 'reports/results.json')).toThrow(ResultsFileError);
    try {
      parseResults(bad, 'reports/results.json');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('The results file reports/results.json is not a valid results file');
      expect(message).toContain('score should be a number but is "7" (string)');
      expect(message).toContain('started_at should be a string but is missing');
      expect(message).toContain('tests[2].status should be one of pass, fail, error but is "skipped" (string)');
      expect(message).toContain('tests[0].message should be a string but is missing');
      expect(message).toContain('npm test');
    }
  });

  it('rejects a top level that is not an object', () => {
    expect(() => parseResults([], 'x.json')).toThrow(/top level is not a JSON object/);
  });
});
