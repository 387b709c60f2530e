import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { markReportFolder, REPORT_MARK, reportFolderProblem } from '../../../src/results/report-folder.ts';
import { tempDir } from '../../grader/fixtures.ts';

describe('reportFolderProblem', () => {
  it('takes a new folder, an empty one, and one the suite wrote before', () => {
    const root = tempDir('report-folder-');
    expect(reportFolderProblem(path.join(root, 'new'), '--out')).toBeUndefined();
    mkdirSync(path.join(root, 'empty'));
    expect(reportFolderProblem(path.join(root, 'empty'), '--out')).toBeUndefined();
    const ours = path.join(root, 'ours');
    mkdirSync(ours);
    writeFileSync(path.join(ours, 'summary.md'), 'an earlier run\n');
    markReportFolder(ours);
    expect(readFileSync(path.join(ours, REPORT_MARK), 'utf8')).toMatch(/a later run may overwrite them/);
    expect(reportFolderProblem(ours, '--out')).toBeUndefined();
  });

  it("refuses a folder with someone else's files, naming them, and a file", () => {
    const root = tempDir('report-folder-');
    for (const name of ['summary.md', 'README.md', 'notes.txt', 'src']) writeFileSync(path.join(root, name), 'mine\n');
    expect(reportFolderProblem(root, '--out')).toBe(
      `--out ${root} already holds files the suite did not write (README.md, notes.txt, src, and 1 more), and the reports could overwrite them: ` +
        `name a new or empty folder (a folder an earlier run wrote holds ${REPORT_MARK}).`,
    );
    expect(reportFolderProblem(path.join(root, 'notes.txt'), '--out')).toBe(`--out ${path.join(root, 'notes.txt')} is a file, not a folder.`);
  });
});
