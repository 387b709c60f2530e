import { describe, expect, it } from 'vitest';
import { renderConsoleReport } from '../../../src/renderers/console-report.ts';
import { toPlainText } from '../../../src/renderers/plain-text.ts';
import { erroredRun, failingRun, passingRun, runResults, taskResult } from '../../fixtures/results.ts';

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);

describe('the terminal report', () => {
  it('gives one line per task with its mark and points, grouped by lab, and a total', () => {
    const text = renderConsoleReport(passingRun(), { color: false });
    expect(text).toMatch(/^01-dynamodb-local .*\n {2}✓ 1 {2}Task 01-dynamodb-local\/1 {2}2\/2\n {2}✓ 2 {2}/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('PASS  7/7 points  (3 passed, 0 failed)');
    expect(text).not.toMatch(ANSI);
  });

  it('shows under a failure what is wrong, the hint and the last lines of the step, and nothing of a pass', () => {
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    const results = runResults([
      taskResult('01-dynamodb-local/1', { output: 'not shown for a pass' }),
      taskResult('03-seed/2', { status: 'fail', score: 0, message: 'The seed wrote 3 of 104 messages. See labs/week-05/03-seed/README.md#task-2.', hint: 'Indent the loop body.', output: `${long}\nTraceback: boom` }),
    ]);
    const text = renderConsoleReport(results, { color: false });
    expect(text).toContain('  ✗ 2  Task 03-seed/2  0/2\n       The seed wrote 3 of 104 messages. See labs/week-05/03-seed/README.md#task-2.\n       Hint: Indent the loop body.');
    expect(text).toContain('       | Traceback: boom');
    expect(text).toContain('| line 23');
    expect(text).not.toContain('| line 22');
    expect(text).not.toContain('not shown for a pass');
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^FAIL {2}2\/4 points {2}\(1 passed, 1 failed\)$/);
  });

  it('marks a task that could not be verified as not the learner\'s fault, and the run as not graded', () => {
    const text = renderConsoleReport(erroredRun(), { color: false });
    expect(text).toContain('  ! 1  Task 03-seed/1');
    expect(text).toContain("Could not be verified (a problem on the grader's side, not in your work): Postgres did not start within 30 s.");
    expect(text.trimEnd().split('\n').at(-1)).toMatch(/^NOT GRADED {2}1 passed, 1 failed, 1 not verified\. .*Run it again\.$/);
  });

  it('uses colours only when asked (a terminal), with the same words', () => {
    const colored = renderConsoleReport(failingRun(), { color: true });
    expect(colored).toMatch(ANSI);
    expect(toPlainText(colored)).toBe(renderConsoleReport(failingRun(), { color: false }));
  });

  it('says why a run that broke before any task has nothing to show', () => {
    const text = renderConsoleReport(runResults([], { status: 'error', message: 'No backend could start.' }), { color: false });
    expect(text).toContain('The run could not complete: No backend could start.');
    expect(text).toMatch(/NOT GRADED/);
  });
});
