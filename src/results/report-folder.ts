import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { someNames } from '../some-names.ts';

/** Left in every folder the suite writes reports or a journal into: a later run may write there again. */
export const REPORT_MARK = '.cruddur-labs-reports';

/**
 * Why reports may not go into `dir` (named by `option`, e.g. `--out`): it holds files that no run of the suite
 * wrote, which the reports could overwrite. Undefined for a new or empty folder, or one the suite wrote before.
 */
export function reportFolderProblem(dir: string, option: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${option} ${dir} is a file, not a folder.`;
  const entries = readdirSync(dir).sort();
  if (entries.length === 0 || entries.includes(REPORT_MARK)) return undefined;
  return (
    `${option} ${dir} already holds files the suite did not write (${someNames(entries)}), and the reports could overwrite them: ` +
    `name a new or empty folder (a folder an earlier run wrote holds ${REPORT_MARK}).`
  );
}

/** Marks `dir` as written by the suite, so that a later run may write its reports there again. */
export function markReportFolder(dir: string): void {
  writeFileSync(path.join(dir, REPORT_MARK), 'Reports written by the Cruddur week 5 labs; a later run may overwrite them.\n');
}
