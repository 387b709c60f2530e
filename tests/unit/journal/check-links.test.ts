import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkJournalLinks } from '../../../src/journal/check-links.ts';
import { renderJournal } from '../../../src/journal/render-journal.ts';
import { failingWeekRun, passingWeekRun } from '../../fixtures/results.ts';
import { tinyPng } from './tiny-png.ts';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';

const JOURNAL = { journal: WEEK05_JOURNAL };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'journal-links-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('checkJournalLinks', () => {
  it('finds the missing screenshot, and nothing once it is there', async () => {
    const md = renderJournal(passingWeekRun(), JOURNAL);
    expect(checkJournalLinks(md, dir)).toEqual([
      {
        kind: 'image',
        target: 'assets/week05/06-admin-ui.png',
        line: expect.any(Number),
        reason: expect.stringContaining('no such file: assets/week05/06-admin-ui.png'),
      },
    ]);
    const line = checkJournalLinks(md, dir)[0]?.line ?? 0;
    expect(md.split('\n')[line - 1]).toContain('](assets/week05/06-admin-ui.png)');
    await mkdir(path.join(dir, 'assets/week05'), { recursive: true });
    await writeFile(path.join(dir, 'assets/week05/06-admin-ui.png'), tinyPng(2, 2));
    expect(checkJournalLinks(md, dir)).toEqual([]);
  });

  it('passes a journal without a screenshot: every anchor of the summary resolves', () => {
    expect(checkJournalLinks(renderJournal(failingWeekRun(), JOURNAL), path.join(dir, 'nowhere'))).toEqual([]);
  });

  it('resolves the summary anchors of labs with hostile titles', () => {
    const results = failingWeekRun();
    const titles = ['Ünïcode `code | span` & <b>bold</b> 🚀', 'Same', 'Same', '``` fence', '`` ` `` x', 'trailing #', '*em* _u_ [l](x) $m$'];
    titles.forEach((title, i) => results.labs.push({ id: i === 0 ? 'zz|id`' : `zz-${i}`, title, status: 'pass', score: 0, max_score: 0 }));
    const md = renderJournal(results, JOURNAL);
    expect(md.match(/\]\(#/g)).toHaveLength(results.labs.length);
    expect(checkJournalLinks(md, dir)).toEqual([]);
  });

  it('checks anchors against the headings, relative files on disk, and leaves web links alone', async () => {
    await writeFile(path.join(dir, 'notes with space.md'), '# notes\n');
    const md = [
      '# Title',
      '## Same',
      '## Same',
      '[ok](#title) [dup](#same-1) [top](#) [bad](#nope) [enc](#t%C3%ADtulo)',
      '[file](notes%20with%20space.md#anything) [gone](missing.md) [abs](/etc/passwd)',
      '[web](https://example.com/x.png) [mail](mailto:a@b.c) ![remote](http://example.com/i.png)',
      '',
      '`[code](not-a-link.md)` and \\[escaped\\](nope.md)',
      '',
      '```',
      '[fenced](also-not.md) ![x](not.png)',
      '```',
      '',
      '| a | b |',
      '| --- | --- |',
      '| ![in a table](cell.png) | [ok](#same) |',
    ].join('\n');
    const broken = checkJournalLinks(md, dir);
    expect(broken.map((b) => [b.kind, b.target, b.line])).toEqual([
      ['link', '#nope', 4],
      ['link', '#t%C3%ADtulo', 4],
      ['link', 'missing.md', 5],
      ['link', '/etc/passwd', 5],
      ['image', 'cell.png', 16],
    ]);
    expect(broken[0]?.reason).toBe('no heading in the journal has the anchor #nope');
    expect(broken[3]?.reason).toContain('absolute path');
  });
});
