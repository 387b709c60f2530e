import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJournal, type WeekJournal } from '../journal/index.ts';
import { classroomOutputLine, renderClassroom, renderGradescope, renderJUnit, renderMarkdownSummary } from '../renderers/index.ts';
import type { RunResults } from '../results/model.ts';
import { markReportFolder } from '../results/report-folder.ts';
import { writeResults } from '../results/write-results.ts';
import { SUITE_ROOT } from '../config/suite-root.ts';

export interface ReportFiles {
  results: string;
  junit: string;
  summary: string;
  classroom: string;
  gradescope: string;
  journal: string;
}

/**
 * Every format instructors' tools read, all from the one results object: results.json, JUnit XML, a markdown
 * summary (appended to $GITHUB_STEP_SUMMARY when set), GitHub Classroom's base64 result (also written to
 * $GITHUB_OUTPUT as `result`), Gradescope's results.json, and the learner's journal (`<journal name>.md/.html`).
 */
export async function writeReports(results: RunResults, dir: string, options: { journal: WeekJournal; env?: NodeJS.ProcessEnv }): Promise<ReportFiles> {
  const { journal, env = process.env } = options;
  await mkdir(dir, { recursive: true });
  markReportFolder(dir);
  const files: ReportFiles = {
    results: await writeResults(dir, results),
    junit: path.join(dir, 'junit.xml'),
    summary: path.join(dir, 'summary.md'),
    classroom: path.join(dir, 'classroom-result.txt'),
    gradescope: path.join(dir, 'gradescope-results.json'),
    journal: path.join(dir, `${journal.name}.md`),
  };
  const summary = renderMarkdownSummary(results);
  const classroom = renderClassroom(results);
  await Promise.all([
    writeFile(files.junit, renderJUnit(results)),
    writeFile(files.summary, summary),
    writeFile(files.classroom, `${classroom.base64}\n`),
    writeFile(files.gradescope, `${JSON.stringify(renderGradescope(results), null, 2)}\n`),
  ]);
  // The learner's journal, with the same renderer as `npm run journal` (the week's screenshot sits in `dir`).
  files.journal = (await writeJournal(results, dir, { journal, projectRoot: SUITE_ROOT })).markdownFile;
  if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, `${summary}\n`);
  if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, classroomOutputLine(classroom.base64));
  return files;
}
