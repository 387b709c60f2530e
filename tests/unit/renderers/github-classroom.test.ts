import { describe, expect, it } from 'vitest';
import {
  classroomEnvName,
  classroomOutputLine,
  renderClassroom,
  toClassroomResult,
} from '../../../src/renderers/github-classroom.ts';
import { erroredRun, failingRun, NASTY, passingRun, runResults, specialCharsRun, taskResult } from '../../fixtures/results.ts';

const decode = (base64: string): unknown => JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));

describe('GitHub Classroom result', () => {
  it('encodes exactly the result object as base64 JSON', () => {
    const { result, base64 } = renderClassroom(failingRun());
    expect(decode(base64)).toEqual(result);
    expect(result).toMatchObject({ version: 1, status: 'fail', max_score: 7 });
  });

  it('gives every test the fields the reporter reads, with the points Classroom sums', () => {
    const result = toClassroomResult(passingRun());
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

  it('keeps the points of a run that was graded, failures included', () => {
    const result = toClassroomResult(failingRun());
    expect(result.status).toBe('fail');
    expect(result.tests.reduce((sum, t) => sum + t.score, 0)).toBe(failingRun().score);
    expect(result.tests.map((t) => t.name)).not.toContain('Not graded');
  });

  it('claims no points for a run that could not be graded, and says why and what to do', () => {
    const result = toClassroomResult(erroredRun());
    expect(result.status).toBe('error');
    // The reporter posts 0/0: no partial score stands in for a grade.
    expect(result.max_score).toBe(0);
    expect(result.tests.every((t) => t.score === 0)).toBe(true);
    expect(result.tests[0]).toMatchObject({ name: 'Not graded', status: 'error' });
    expect(result.tests[0]?.message).toContain('03-seed/1 could not be verified: Postgres did not start within 30 s.');
    expect(result.tests[0]?.message).toContain('No points are claimed');
    const failed = result.tests.find((t) => t.status === 'fail');
    expect(failed?.message).toBe('Problem in 02-create-table/1.\nHint: Add the sort key.');
    const errored = result.tests.find((t) => t.name.startsWith('03-seed/1'));
    expect(errored?.message).toContain('does not count against you');
  });

  it('round-trips special characters through base64 and lists the steps as test code', () => {
    const { base64 } = renderClassroom(specialCharsRun());
    const decoded = decode(base64) as ReturnType<typeof toClassroomResult>;
    const named = (prefix: string) => decoded.tests.find((t) => t.name.startsWith(prefix));
    expect(named('02-create-table/1')?.message.startsWith(NASTY)).toBe(true);
    expect(named('02-create-table/1')?.test_code).toBe('./bin/ddb/schema-load');
    expect(named('01-dynamodb-local/1')?.output).toBe('ok green\u0007 done');
  });

  it('caps long output so the encoded result fits in an environment variable', () => {
    const long = runResults([taskResult('01-dynamodb-local/1', { output: 'x'.repeat(50_000) })]);
    const { result, base64 } = renderClassroom(long, { maxOutputChars: 500 });
    expect(result.tests[0]?.output.length).toBeLessThanOrEqual(500);
    expect(result.tests[0]?.output).toContain('more characters cut');
    expect(base64.length).toBeLessThan(2_000);
  });

  it('reports a run that broke before any task as not graded, with the reason', () => {
    const result = toClassroomResult(runResults([], { message: 'No Docker and no embedded binaries.' }));
    expect(result).toMatchObject({ status: 'error', max_score: 0 });
    expect(result.tests).toEqual([expect.objectContaining({ name: 'Not graded', status: 'error', score: 0 })]);
    expect(result.tests[0]?.message).toContain('No Docker and no embedded binaries.');
  });

  it('formats the $GITHUB_OUTPUT line and the env var name the reporter reads', () => {
    const { base64 } = renderClassroom(passingRun());
    expect(classroomOutputLine(base64)).toBe(`result=${base64}\n`);
    expect(() => classroomOutputLine('not base64\nline')).toThrow(/base64/);
    expect(classroomEnvName('lab-suite')).toBe('LAB-SUITE_RESULTS');
  });
});
