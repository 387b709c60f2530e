import { describe, expect, it } from 'vitest';
import { renderGradescope } from '../../../src/renderers/gradescope.ts';
import { allPass, NASTY, run, someFail, specialChars, withError } from './fixtures.ts';

describe('renderGradescope', () => {
  it('writes score, execution time and one visible, numbered test per task', () => {
    const out = renderGradescope(allPass());
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
    const failed = renderGradescope(someFail()).tests[1];
    expect(failed).toMatchObject({ status: 'failed', score: 0, max_score: 2, name: '02-create-table/1 Task 02-create-table/1' });
    expect(failed?.output).toContain('FAILED: Table `cruddur-messages` has no sort key `sk`');
    expect(failed?.output).toContain('Hint: See labs/week-05/02-create-table/README.md#2');
    expect(failed?.output).toContain('Output of your steps:\n$ ./bin/ddb/schema-load');
  });

  it('scores an unverified task 0 but says clearly it is the grader and not the learner', () => {
    const out = renderGradescope(withError());
    const errored = out.tests.find((t) => t.name.startsWith('03-seed/1'));
    expect(errored).toMatchObject({ status: 'failed', score: 0, max_score: 4 });
    expect(errored?.output).toMatch(/^NOT VERIFIED: Postgres did not start within 30 s\./);
    expect(errored?.output).toContain('not in your work');
    expect(errored?.tags).toContain('not-verified');
    expect(out.output).toContain('1 task(s) could not be verified');
    expect(out.output).toContain('regrade');
    expect(out.output).toContain('1 task(s) failed');
  });

  it('keeps special characters as plain text and honours a visibility option', () => {
    const out = renderGradescope(specialChars(), { visibility: 'after_due_date' });
    expect(out.output_format).toBe('text');
    expect(out.tests.every((t) => t.output_format === 'text' && t.visibility === 'after_due_date')).toBe(true);
    expect(out.tests[1]?.output).toContain(NASTY);
    expect(out.tests[0]?.output).toContain('ok green\u0007 done');
    expect(out.tests[0]?.name).toBe('01-dynamodb-local/1 Start <local> & "check"');
  });

  it('explains a run that broke before any task', () => {
    const out = renderGradescope(run([], { message: 'DynamoDB Local did not start.' }));
    expect(out.tests).toEqual([expect.objectContaining({ name: 'Run', status: 'failed', score: 0, max_score: 0 })]);
    expect(out.output).toContain('The run itself could not complete: DynamoDB Local did not start.');
  });
});
