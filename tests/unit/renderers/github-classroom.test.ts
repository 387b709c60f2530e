import { describe, expect, it } from 'vitest';
import {
  classroomEnvName,
  classroomOutputLine,
  renderClassroom,
  toClassroomResult,
} from '../../../src/renderers/github-classroom.ts';
import { allPass, NASTY, run, someFail, specialChars, task, withError } from './fixtures.ts';

const decode = (base64: string): unknown => JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

describe('GitHub Classroom result', () => {
  it('encodes exactly the result object as base64 JSON', () => {
    const { result, base64 } = renderClassroom(someFail());
    expect(decode(base64)).toEqual(result);
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: 7 });
  });

  it('gives every test the fields the reporter reads, with the points Classroom sums', () => {
    const result = toClassroomResult(allPass());
    expect(result.status).toBe('pass');
    expect(result.tests).toHaveLength(3);
    expect(result.tests[0]).toEqual({
      name: '01-dynamodb-local/1 Task 01-dynamodb-local/1',
      status: 'pass',
      score: 2,
      message: 'Verified 01-dynamodb-local/1.',
      test_code: '',
      filename: '',
      line_no: 0,
      duration: 1234,
      output: '',
    });
    // The reporter posts "Points <sum of tests[].score>/<max_score>".
    expect(result.tests.reduce((sum, t) => sum + t.score, 0)).toBe(result.max_score);
  });

  it('adds the hint to a failed test and says an errored one does not count against the learner', () => {
    const result = toClassroomResult(withError());
    const failed = result.tests.find((t) => t.status === 'fail');
    expect(failed?.message).toBe('Problem in 02-create-table/1.\nHint: Add the sort key.');
    const errored = result.tests.find((t) => t.status === 'error');
    expect(errored).toMatchObject({ score: 0, name: '03-seed/1 Task 03-seed/1' });
    expect(errored?.message).toContain('Postgres did not start within 30 s.');
    expect(errored?.message).toContain('does not count against you');
    expect(result.status).toBe('error');
  });

  it('round-trips special characters through base64 and lists the steps as test code', () => {
    const { base64 } = renderClassroom(specialChars());
    const decoded = decode(base64) as ReturnType<typeof toClassroomResult>;
    expect(decoded.tests[1]?.message.startsWith(NASTY)).toBe(true);
    expect(decoded.tests[1]?.test_code).toBe('./bin/ddb/schema-load');
    expect(decoded.tests[0]?.output).toBe('ok green\u0007 done');
  });

  it('caps long output so the encoded result fits in an environment variable', () => {
    const long = run([task('01-dynamodb-local/1', { output: 'x'.repeat(50_000) })]);
    const { result, base64 } = renderClassroom(long, { maxOutputChars: 500 });
    expect(result.tests[0]?.output.length).toBeLessThanOrEqual(500);
    expect(result.tests[0]?.output).toContain('more characters cut');
    expect(base64.length).toBeLessThan(2_000);
  });

  it('reports a run that broke before any task as an errored test', () => {
    const result = toClassroomResult(run([], { message: 'No Docker and no embedded binaries.' }));
    expect(result.status).toBe('error');
    expect(result.tests).toEqual([expect.objectContaining({ name: 'run', status: 'error', score: 0 })]);
  });

  it('formats the $GITHUB_OUTPUT line and the env var name the reporter reads', () => {
    const { base64 } = renderClassroom(allPass());
    expect(classroomOutputLine(base64)).toBe(`result=${base64}\n`);
    expect(() => classroomOutputLine('not base64\nline')).toThrow(/base64/);
    expect(classroomEnvName('lab-suite')).toBe('LAB-SUITE_RESULTS');
  });
});
