import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeJournal } from '../../../src/journal/write-journal.ts';
import type { RunResults } from '../../../src/results/model.ts';
import { failingWeekRun, passingWeekRun, runResults, SCREENSHOT_EVIDENCE, taskResult } from '../../fixtures/results.ts';
import { tinyPng } from './tiny-png.ts';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';

let root: string;
let out: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'journal-write-'));
  out = path.join(root, 'out');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** passingWeekRun() whose screenshot evidence describes `png` as the lab would have recorded it. */
async function withScreenshot(png: Buffer, recordedSha = createHash('sha256').update(png).digest('hex')): Promise<RunResults> {
  const file = path.join(root, SCREENSHOT_EVIDENCE.path);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, png);
  const results = passingWeekRun();
  const shot = results.tests.find((t) => t.task_id === '06-admin-ui/3');
  if (shot) shot.evidence = { screenshot: { ...SCREENSHOT_EVIDENCE, bytes: png.length, sha256: recordedSha } };
  return results;
}

describe('writeJournal', () => {
  it('writes week05.md and week05.html, copies the screenshot next to them, and every link resolves', async () => {
    const png = tinyPng(64, 40);
    const written = await writeJournal(await withScreenshot(png), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(written.markdownFile).toBe(path.join(out, 'week05.md'));
    expect(written.htmlFile).toBe(path.join(out, 'week05.html'));
    expect(written.screenshotFile).toBe(path.join(out, 'assets/week05/06-admin-ui.png'));
    expect(written.brokenLinks).toEqual([]);
    expect(await readFile(path.join(out, 'assets/week05/06-admin-ui.png'))).toEqual(png);
    const md = await readFile(written.markdownFile, 'utf8');
    // The size comes from the file itself, not from what the results claim.
    expect(md).toContain('![DynamoDB Admin showing the items of cruddur-messages](assets/week05/06-admin-ui.png)\n\n_64×40 PNG,');
    expect(await readFile(written.htmlFile, 'utf8')).toContain('<img src="assets/week05/06-admin-ui.png"');
  });

  it('writes into the directory the screenshot is already in without copying it onto itself', async () => {
    const written = await writeJournal(await withScreenshot(tinyPng(8, 8)), path.join(root, 'journal'), { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(written.screenshotFile).toBe(path.join(root, 'journal/assets/week05/06-admin-ui.png'));
    expect(written.brokenLinks).toEqual([]);
  });

  it('refuses a screenshot another run replaced, saying so', async () => {
    const written = await writeJournal(await withScreenshot(tinyPng(8, 8), 'f'.repeat(64)), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(written.screenshotFile).toBeUndefined();
    expect(written.brokenLinks).toEqual([]);
    const md = await readFile(written.markdownFile, 'utf8');
    expect(md).toContain('**No screenshot**: journal/assets/week05/06-admin-ui.png is no longer the screenshot this run took');
    expect(existsSync(path.join(out, 'assets'))).toBe(false);
  });

  it('says why when the screenshot is gone or is not a PNG', async () => {
    const gone = await writeJournal(passingWeekRun(), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(gone.brokenLinks).toEqual([]);
    expect(await readFile(gone.markdownFile, 'utf8')).toMatch(/\*\*No screenshot\*\*: The screenshot task 06-admin-ui\/3 took \(journal\/assets\/week05\/06-admin-ui.png\) cannot be read/);
    const notPng = await writeJournal(await withScreenshot(Buffer.from('<html>not a picture</html>')), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(await readFile(notPng.markdownFile, 'utf8')).toContain('is not a valid PNG (the file does not start with the PNG signature)');
  });

  it('writes a journal for a failing run, with the reason for the missing screenshot', async () => {
    const written = await writeJournal(failingWeekRun(), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(written.brokenLinks).toEqual([]);
    expect(await readFile(written.markdownFile, 'utf8')).toContain('**No screenshot**: No screenshot of DynamoDB Admin: no Chromium was found');
  });

  it('has no screenshot section when lab 06 did not run', async () => {
    const written = await writeJournal(runResults([taskResult('01-dynamodb-local/1')]), out, { journal: WEEK05_JOURNAL, projectRoot: root });
    expect(await readFile(written.markdownFile, 'utf8')).not.toContain('Screenshot');
  });
});
