import { describe, expect, it } from 'vitest';
import { renderGradescope } from '../../../src/renderers/gradescope.ts';
import { erroredRun, failingRun, NASTY, passingRun, runResults, specialCharsRun } from '../../fixtures/results.ts';

describe('renderGradescope', () => {
  it('writes score, execution time and one visible, numbered test per task', () => {
    const out = renderGradescope(passingRun());
    expect(out.score).toBe(7);
    expect(out.execution_time).toBe(90.5);
    expect(out.extra_data).toMatchObject({ max_score: 7, status: 'pass', backend: 'embedded' });
    expect(out.tests.map((t) => [t.number, t.status, t.score, t.max_score, t.visibility])).toEqual([
      ['1.1', 'passed', 2, 2, 'visible'],
      ['1.2', 'passed', 2, 2, 'visible'],
      ['2.1', 'passed', 3, 3, 'visible'],
    ]);
    expect(out.output).toContain('7 / 7 points');
    expect(out.output).toContain('Every task passed.');
    // The round trip a results.json goes through.
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
  });

  it('marks a failed task as failed with its message, hint and output', () => {
    const failed = renderGradescope(failingRun()).tests[1];
    expect(failed).toMatchObject({ status: 'failed', score: 0, max_score: 2, name: '02-create-table/1 Task 02-create-table/1' });
    expect(failed?.output).toContain('FAILED: Table `cruddur-messages` has no sort key `sk`');
    expect(failed?.output).toContain('Hint: See labs/week-05/02-create-table/README.md#2');
    expect(failed?.output).toContain('Output of your steps:\n$ ./bin/ddb/schema-load');
  });

  it('posts no partial score for a run that could not be graded, and says why and what to do', () => {
    const out = renderGradescope(erroredRun());
    const errored = out.tests.find((t) => t.name.startsWith('03-seed/1'));
    expect(errored).toMatchObject({ status: 'failed', score: 0, max_score: 0 });
    expect(errored?.output).toMatch(/^NOT VERIFIED: Postgres did not start within 30 s\./);
    expect(errored?.output).toContain('not in your work');
    expect(errored?.tags).toContain('not-verified');
    // The task that passed is shown, but without points: 0 of 0 everywhere, and a top-level message.
    expect(out.tests.every((t) => t.score === 0 && t.max_score === 0)).toBe(true);
    expect(out.score).toBe(0);
    expect(out.extra_data).toMatchObject({ status: 'error', gradable: false });
    expect(out.output).toMatch(/^NOT GRADED: this submission could not be graded\. 03-seed\/1 could not be verified: Postgres/);
    expect(out.output).toContain('No points are claimed');
  });

  it('keeps the points of a run that was graded, failures included', () => {
    const out = renderGradescope(failingRun());
    expect(out.extra_data.gradable).toBe(true);
    expect(out.score).toBe(failingRun().score);
    expect(out.tests.reduce((sum, t) => sum + t.max_score, 0)).toBe(failingRun().max_score);
    expect(out.output).toContain('1 task(s) failed');
  });

  it('keeps special characters as plain text and honours a visibility option', () => {
    const out = renderGradescope(specialCharsRun(), { visibility: 'after_due_date' });
    expect(out.output_format).toBe('text');
    expect(out.tests.every((t) => t.output_format === 'text' && t.visibility === 'after_due_date')).toBe(true);
    expect(out.tests[1]?.output).toContain(NASTY);
    expect(out.tests[0]?.output).toContain('ok green\u0007 done');
    expect(out.tests[0]?.name).toBe('01-dynamodb-local/1 Start <local> & "check"');
  });

  it('explains a run that broke before any task', () => {
    const out = renderGradescope(runResults([], { message: 'DynamoDB Local did not start.' }));
    expect(out.tests).toEqual([expect.objectContaining({ name: 'Run', status: 'failed', score: 0, max_score: 0 })]);
    expect(out.output).toContain('NOT GRADED: this submission could not be graded. DynamoDB Local did not start.');
  });
});
