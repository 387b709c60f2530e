import { describe, expect, it } from 'vitest';
import { renderMarkdownSummary } from '../../../src/renderers/markdown-summary.ts';
import { erroredRun, failingRun, passingRun, runResults, specialCharsRun } from '../../fixtures/results.ts';

/** The cells of a GFM table row, splitting on unescaped pipes only. */
function cells(row: string): string[] {
  return row
    .replace(/^\|\s*|\s*\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((c) => c.trim());
}

function tableRows(md: string): string[][] {
  return md
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map(cells);
}

function section(md: string, title: string): string {
  const start = md.indexOf(`## ${title}`);
  if (start === -1) return '';
  const next = md.indexOf('\n## ', start + 1);
  return md.slice(start, next === -1 ? undefined : next);
}

describe('renderMarkdownSummary', () => {
  it('titles the summary with the total and tables every lab', () => {
    const md = renderMarkdownSummary(passingRun());
    expect(md.split('\n')[0]).toBe('# Lab results: 7 / 7 points');
    expect(md).toContain('Overall: **every task passed** (3 of 3 tasks passed, 0 failed, 0 not verified).');
    expect(tableRows(md)).toEqual([
      ['Lab', 'Status', 'Points'],
      ['---', '---', '---:'],
      ['Run DynamoDB Local and Postgres (01-dynamodb-local)', 'passed', '4 / 4'],
      ['Create the cruddur-messages table (schema-load) (02-create-table)', 'passed', '3 / 3'],
    ]);
    expect(section(md, 'What to fix')).toContain('Nothing: no task failed.');
    expect(md).not.toContain('## Could not verify');
    expect(md).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C]/u); // no emoji
  });

  it('lists each failed task with its message and hint under "What to fix"', () => {
    const fix = section(renderMarkdownSummary(failingRun()), 'What to fix');
    expect(fix).toContain(
      '- **02-create-table/1 Task 02-create-table/1**: Table `cruddur-messages` has no sort key `sk` (found: pk HASH).',
    );
    expect(fix).toContain('  Hint: See labs/week-05/02-create-table/README.md#2');
    expect(fix).not.toContain('02-create-table/2');
  });

  it('keeps tasks that could not be verified apart, saying they do not count against the learner', () => {
    const md = renderMarkdownSummary(erroredRun());
    const fix = section(md, 'What to fix');
    const unverified = section(md, 'Could not verify');
    expect(fix).toContain('02-create-table/1');
    expect(fix).not.toContain('03-seed/1');
    expect(unverified).toContain('- **03-seed/1 Task 03-seed/1**: Postgres did not start within 30 s.');
    expect(unverified).toContain('do not count against you');
    expect(md).toContain('Overall: **incomplete, some work could not be verified** (1 of 3 tasks passed, 1 failed, 1 not verified).');
    expect(tableRows(md)).toContainEqual(['Seed a conversation from Postgres users (seed) (03-seed)', 'not verified', '0 / 4']);
  });

  it('escapes pipes, line breaks and HTML in cells and messages, keeping code spans verbatim', () => {
    const results = specialCharsRun();
    const lab = results.labs[1];
    if (lab) lab.title = 'Keys | <b>bold</b>\nsecond';
    const md = renderMarkdownSummary(results);
    const row = tableRows(md).find((r) => r[0]?.includes('02-create-table'));
    expect(row).toEqual(['Keys \\| &lt;b&gt;bold&lt;/b&gt;<br>second (02-create-table)', 'failed', '0 / 2']);
    const fix = section(md, 'What to fix');
    expect(fix).toContain("Expected &lt;pk&gt; &amp; \"sk\" in 'cruddur|messages'\\\n  second line | with pipe");
    expect(fix).toContain('Hint: Use `--key-schema` with &lt;sk&gt; | RANGE\\\n  then retry');
    expect(fix).not.toMatch(/<(?!br>)/); // no raw HTML from the messages
  });

  it('reports a run that broke before any task under "Could not verify"', () => {
    const md = renderMarkdownSummary(runResults([], { message: 'Services did not start.' }));
    expect(md).toContain('_No lab results were recorded._');
    expect(section(md, 'Could not verify')).toContain('- **The run**: Services did not start.');
  });

  it('says whether learner code ran in the sandbox, and why not when it did not', () => {
    const repo = { kind: 'repository' as const, path: '/class/alice' };
    const boxed = renderMarkdownSummary(runResults(passingRun().tests, { submission: repo, environment: { node: 'v20', platform: 'linux', sandbox: { mode: 'namespaces', detail: 'bubblewrap 0.8.0: uid 61000' } } }));
    expect(boxed).toMatch(/Learner code ran sandboxed \(namespaces: bubblewrap 0\.8\.0: uid 61000\)/);
    const open = renderMarkdownSummary(runResults(passingRun().tests, { submission: repo, environment: { node: 'v20', platform: 'linux', sandbox: { mode: 'none', reason: 'bubblewrap (bwrap) is not installed' } } }));
    expect(open).toMatch(/Learner code ran without a sandbox: bubblewrap \(bwrap\) is not installed/);
    const reference = renderMarkdownSummary(runResults(passingRun().tests, { submission: { kind: 'reference' }, environment: { node: 'v20', platform: 'linux', sandbox: { mode: 'none', reason: 'no learner code ran' } } }));
    expect(reference).not.toMatch(/Learner code/);
  });

  it('names the versions of the services that served the run, and nothing when none did', () => {
    // The fixtures' services: DynamoDB Local 3.3.0 and Postgres 18.4 on the embedded backend.
    expect(renderMarkdownSummary(passingRun())).toContain('Checked on the embedded backend (DynamoDB Local 3.3.0, Postgres 18.4), finished');
    expect(renderMarkdownSummary(runResults(passingRun().tests, { services: null }))).toMatch(/Checked on the none backend, finished/);
  });
});
