import { describe, expect, it } from 'vitest';
import { renderClassSummary } from '../../../src/renderers/class-summary.ts';
import type { GradebookRow } from '../../../src/renderers/gradebook-csv.ts';
import { renderClassSummary as fromIndex } from '../../../src/renderers/index.ts';
import { erroredRun, failingRun, NASTY, passingRun, runResults, taskResult } from '../../fixtures/results.ts';

/** The cells of a GFM table row, splitting on unescaped pipes only. */
function cells(row: string): string[] {
  return row
    .replace(/^\|\s*|\s*\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

/** The rows of the table under `## title` (header and delimiter included). */
function table(md: string, title: string): string[][] {
  const start = md.indexOf(`## ${title}\n`);
  if (start === -1) return [];
  const next = md.indexOf('\n## ', start + 1);
  return md
    .slice(start, next === -1 ? undefined : next)
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map(cells);
}

const scored = (score: number, max = 10) =>
  runResults([taskResult('01-dynamodb-local/1', { max_score: max, score, status: score === max ? 'pass' : 'fail' })]);

const class4: GradebookRow[] = [
  { name: 'alice', commit: '0123456789abcdef', results: passingRun() },
  { name: 'bob', results: failingRun() },
  { name: 'carol', results: erroredRun() },
  { name: 'dave', results: null, error: 'Clone failed: repository not found' },
];

describe('renderClassSummary', () => {
  it('is exported from the renderers index', () => {
    expect(fromIndex).toBe(renderClassSummary);
  });

  it('titles the summary and counts pass, fail and could not be graded', () => {
    const md = renderClassSummary(class4);
    expect(md.split('\n')[0]).toBe('# Class summary');
    expect(md).toContain('4 repositories: **1 pass**, **1 fail**, **2 could not be graded** (error).');
    expect(renderClassSummary(class4, { title: 'Week 5 <final> & co' }).split('\n')[0]).toBe('# Week 5 &lt;final&gt; &amp; co');
  });

  it('gives mean and median over graded repositories only, never counting an error as a score', () => {
    const rows: GradebookRow[] = [
      { name: 'a', results: scored(10) },
      { name: 'b', results: scored(4) },
      { name: 'c', results: scored(7) },
      { name: 'd', results: scored(2) },
      { name: 'e', results: runResults([taskResult('01-dynamodb-local/1', { status: 'error', max_score: 10 })]) },
      { name: 'f', results: null },
    ];
    const md = renderClassSummary(rows);
    // (10 + 4 + 7 + 2) / 4 = 5.75; median of 2, 4, 7, 10 = 5.5.
    expect(md).toContain('Mean score 5.75 / 10, median 5.5 / 10, over 4 graded repositories;');
    expect(renderClassSummary(rows.slice(0, 3))).toContain('Mean score 7 / 10, median 7 / 10, over 3 graded repositories;');
  });

  it('says so when nothing could be graded, and when the maximum differs between repositories', () => {
    expect(renderClassSummary([{ name: 'x', results: null }])).toContain('No repository could be graded, so there is no mean or median score.');
    const mixed = renderClassSummary([
      { name: 'a', results: scored(6, 8) },
      { name: 'b', results: scored(10, 10) },
    ]);
    expect(mixed).toContain('Mean score 8, median 8, over 2 graded repositories;');
    expect(mixed).toContain('The maximum differs between repositories (8 to 10 points)');
  });

  it('says there is nothing to summarize for no rows', () => {
    expect(renderClassSummary([])).toBe('# Class summary\n\n_No repositories: nothing was graded._\n');
  });

  it('tables each lab with how many repositories passed, failed and could not be graded', () => {
    expect(table(renderClassSummary(class4), 'Labs')).toEqual([
      ['Lab', 'Passed', 'Failed', 'Could not be graded'],
      ['---', '---:', '---:', '---:'],
      // dave has no results at all: he counts as not graded for every lab.
      ['01-dynamodb-local', '3', '0', '1'],
      ['02-create-table', '1', '2', '1'],
      ['03-seed', '0', '0', '2'],
    ]);
  });

  it('tables the repositories in the given order with status, score, short commit and message', () => {
    const rows = [class4[3], class4[1], class4[0], class4[2]].filter((r): r is GradebookRow => r !== undefined);
    expect(table(renderClassSummary(rows), 'Repositories')).toEqual([
      ['Repository', 'Status', 'Score', 'Commit', 'Message'],
      ['---', '---', '---:', '---', '---'],
      ['dave', 'error', '—', '', 'Clone failed: repository not found'],
      ['bob', 'fail', '5 / 7', 'abc1234', ''],
      ['alice', 'pass', '7 / 7', '0123456', ''],
      // carol's run has no message of its own: her first unverified task says why.
      ['carol', 'error', '—', 'abc1234', '03-seed/1: Postgres did not start within 30 s.'],
    ]);
    expect(table(renderClassSummary([{ name: 'x', results: null }]), 'Repositories')[2]?.[4]).toBe(
      'No results: the repository could not be graded.',
    );
  });

  it('escapes learner text and keeps each message on one line of at most 200 characters', () => {
    const long = `Seed broke: ${'x'.repeat(300)}`;
    const rows: GradebookRow[] = [
      { name: 'eve|<script>', results: runResults([taskResult('01-dynamodb-local/1')], { message: NASTY }) },
      { name: 'mallory', results: null, error: `${long}\nsecond line` },
    ];
    const md = renderClassSummary(rows);
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<pk>');
    const [, , eve, mallory] = table(md, 'Repositories');
    expect(eve?.[0]).toBe('eve\\|&lt;script&gt;');
    expect(eve?.[4]).toBe(`Expected &lt;pk&gt; &amp; "sk" in 'cruddur\\|messages' second line \\| with pipe`);
    expect(eve).toHaveLength(5);
    expect(mallory?.[4]).toHaveLength(200);
    expect(mallory?.[4]?.endsWith('…')).toBe(true);
    expect(mallory?.[4]).not.toContain('second line');
    for (const row of table(md, 'Repositories')) expect(row).toHaveLength(5);
  });

  it('never cuts a message through a surrogate pair', () => {
    const message = `${'a'.repeat(198)}😀${'b'.repeat(20)}`;
    const md = renderClassSummary([{ name: 'x', results: null, error: message }]);
    const cell = table(md, 'Repositories')[2]?.[4] ?? '';
    expect(cell).toBe(`${'a'.repeat(198)}…`);
    expect(cell).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});
