import { describe, expect, it } from 'vitest';
import { renderGradebook } from '../../../src/renderers/gradebook-csv.ts';
import { erroredRun, failingRun, passingRun, runResults, taskResult } from '../../fixtures/results.ts';

/** A strict RFC 4180 reader: CRLF records, quoted fields with doubled quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"' && field === '') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i += 1;
          break;
        } else {
          field += text[i];
          i += 1;
        }
      }
      if (i < text.length && text[i] !== ',' && !text.startsWith('\r\n', i)) throw new Error(`junk after quote at ${i}`);
    } else if (text[i] === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      records.push([...record, field]);
      record = [];
      field = '';
      i += 2;
    } else {
      if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') throw new Error(`unquoted special character at ${i}`);
      field += text[i];
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) throw new Error('last record not CRLF-terminated');
  return records;
}

describe('renderGradebook', () => {
  it('writes a header with the sorted union of lab ids and one record per repository', () => {
    const csv = renderGradebook([
      { name: 'alice/cruddur', results: erroredRun() },
      { name: 'bob/cruddur', commit: 'fff0001', results: passingRun() },
    ]);
    const [header, alice, bob] = parseCsv(csv);
    expect(header).toEqual([
      'repository', 'commit', 'status', 'score', 'max_score', '01-dynamodb-local', '02-create-table', '03-seed', 'message',
    ]);
    // A scored task that could not be verified: no score, and the reason instead.
    expect(alice).toEqual([
      'alice/cruddur', 'abc1234', 'error', '', '', 'pass', 'fail', 'error', '03-seed/1 could not be verified: Postgres did not start within 30 s.',
    ]);
    expect(bob).toEqual(['bob/cruddur', 'fff0001', 'pass', '7', '7', 'pass', 'pass', '', '']);
  });

  it('gives a repository that could not be graded status error and its message', () => {
    const csv = renderGradebook([
      { name: 'carol/cruddur', results: failingRun() },
      { name: 'dave/cruddur', commit: 'dead000', results: null, error: 'Clone failed:\nrepository not found' },
      { name: 'erin/cruddur', results: null },
    ]);
    const records = parseCsv(csv);
    // A graded failure keeps its score.
    expect(records[1]?.slice(2, 5)).toEqual(['fail', '5', '7']);
    expect(records[2]).toEqual(['dave/cruddur', 'dead000', 'error', '', '', '', '', 'Clone failed: repository not found']);
    expect(records[3]?.[2]).toBe('error');
    expect(records[3]?.[7]).toContain('could not be graded');
  });

  it('quotes commas, quotes and line breaks so every field round-trips', () => {
    const tricky = 'lab, "quoted"\nand more';
    const results = runResults([taskResult('01-dynamodb-local/1')], { message: tricky });
    const csv = renderGradebook([{ name: 'x, "y"', results, error: 'partly graded' }]);
    const [, row] = parseCsv(csv);
    expect(row?.[0]).toBe('x, "y"');
    expect(row?.at(-1)).toBe('partly graded / lab, "quoted" and more');
    expect(csv).toContain('"x, ""y"""');
    expect(csv.endsWith('\r\n')).toBe(true);
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const csv = renderGradebook([
      { name: '=HYPERLINK("http://evil")', results: null, error: '+1 then @SUM(A1)' },
      { name: '-2', commit: '@c', results: null, error: 'plain' },
    ]);
    const [, first, second] = parseCsv(csv);
    expect(first?.[0]).toBe(`'=HYPERLINK("http://evil")`);
    expect(first?.at(-1)).toBe(`'+1 then @SUM(A1)`);
    expect(second?.slice(0, 2)).toEqual([`'-2`, `'@c`]);
    expect(second?.at(-1)).toBe('plain');
  });

  it('writes only the header for an empty class', () => {
    expect(renderGradebook([])).toBe('repository,commit,status,score,max_score,message\r\n');
  });
});
