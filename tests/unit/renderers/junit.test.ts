import { describe, expect, it } from 'vitest';
import { renderJUnit } from '../../../src/renderers/junit.ts';
import { erroredRun, failingRun, NASTY, passingRun, runResults, specialCharsRun } from '../../fixtures/results.ts';
import { findAll, parseXml } from './mini-xml.ts';

describe('renderJUnit', () => {
  it('writes one suite per lab and one case per task, all passing', () => {
    const doc = parseXml(renderJUnit(passingRun()));
    expect(doc.name).toBe('testsuites');
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '0', errors: '0', time: '90.500' });
    const suites = findAll(doc, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests])).toEqual([
      ['01-dynamodb-local', '2'],
      ['02-create-table', '1'],
    ]);
    const cases = findAll(doc, 'testcase');
    expect(cases.map((c) => c.attrs.classname)).toEqual(['01-dynamodb-local', '01-dynamodb-local', '02-create-table']);
    expect(cases[0]?.attrs.name).toBe('01-dynamodb-local/1 Task 01-dynamodb-local/1');
    expect(cases[0]?.attrs.time).toBe('1.234');
    expect(findAll(doc, 'failure')).toHaveLength(0);
    expect(findAll(doc, 'error')).toHaveLength(0);
  });

  it('marks a failed task with <failure> carrying message and hint, and keeps its output', () => {
    const doc = parseXml(renderJUnit(failingRun()));
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '1', errors: '0' });
    const [failure] = findAll(doc, 'failure');
    expect(failure?.attrs.message).toBe('Table `cruddur-messages` has no sort key `sk` (found: pk HASH).');
    expect(failure?.attrs.type).toBe('fail');
    expect(failure?.text).toContain('Hint: See labs/week-05/02-create-table/README.md#2');
    const suite = findAll(doc, 'testsuite').find((s) => s.attrs.name === '02-create-table');
    expect(suite?.attrs).toMatchObject({ tests: '2', failures: '1', errors: '0' });
    expect(findAll(doc, 'system-out').map((o) => o.text)).toEqual(['$ ./bin/ddb/schema-load\nTable created']);
  });

  it('marks a task that could not be verified with <error>, not <failure>', () => {
    const doc = parseXml(renderJUnit(erroredRun()));
    expect(doc.attrs).toMatchObject({ tests: '3', failures: '1', errors: '1' });
    const [error] = findAll(doc, 'error');
    expect(error?.attrs.message).toBe('Postgres did not start within 30 s.');
    expect(error?.text).toContain('does not count against you');
    const seed = findAll(doc, 'testsuite').find((s) => s.attrs.name === '03-seed');
    expect(seed?.attrs).toMatchObject({ failures: '0', errors: '1' });
  });

  it('escapes markup, quotes and line breaks, and replaces characters XML 1.0 forbids', () => {
    const xml = renderJUnit(specialCharsRun());
    const doc = parseXml(xml); // throws on a raw '<' or '&', a forbidden character or unbalanced tags
    const cases = findAll(doc, 'testcase');
    expect(cases[0]?.attrs.name).toBe('01-dynamodb-local/1 Start <local> & "check"');
    expect(cases[1]?.attrs.name).toBe("02-create-table/1 Create 'table' | keys");
    const [failure] = findAll(doc, 'failure');
    expect(failure?.attrs.message).toBe(NASTY); // newline survives as &#10;
    expect(xml).toContain('&#10;second line');
    expect(failure?.text).toContain('Hint: Use `--key-schema` with <sk> | RANGE\nthen retry');
    const outputs = findAll(doc, 'system-out').map((o) => o.text);
    expect(outputs[0]).toBe('ok green\uFFFD done'); // ANSI colours stripped, BEL replaced
    expect(outputs[1]).toBe('line1\nline2 <tag> & \uFFFD nul\uFFFD lone');
    expect(findAll(doc, 'error')[0]?.attrs.message).toBe(`Service broke: ${NASTY}`);
  });

  it('reports a run that broke before any task as an error, never as an empty green run', () => {
    const broken = runResults([], { message: 'DynamoDB Local did not start: port 8000 in use.' });
    const doc = parseXml(renderJUnit(broken));
    expect(doc.attrs).toMatchObject({ tests: '1', errors: '1' });
    const [error] = findAll(doc, 'error');
    expect(error?.attrs.message).toBe('DynamoDB Local did not start: port 8000 in use.');
    expect(findAll(doc, 'testsuite')[0]?.attrs.name).toBe('run');
  });
});
