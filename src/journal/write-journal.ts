import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../atomic-file.ts';
import { errorMessage } from '../errors.ts';
import { readPng } from '../labkit/png-header.ts';
import type { RunResults } from '../results/model.ts';
import { checkJournalLinks, type BrokenLink } from './check-links.ts';
import { renderJournalHtml } from './render-html.ts';
import { recordedScreenshot, renderJournal, screenshotFromResults, type JournalScreenshot } from './render-journal.ts';
import { screenshotName, type WeekJournal } from './week-journal.ts';

export interface WriteJournalOptions {
  /** The week's journal (from its manifest): file name, title, assets, screenshot task. */
  journal: WeekJournal;
  /** What relative paths in the results (the screenshot) are relative to: the suite's root; default the cwd. */
  projectRoot?: string;
}

export interface WrittenJournal {
  markdownFile: string;
  htmlFile: string;
  /** The screenshot next to the journal, when there is one. */
  screenshotFile: string | undefined;
  /** Links and images in the journal whose targets do not exist; empty when all resolve. */
  brokenLinks: BrokenLink[];
}

/**
 * Writes the week's journal (`<name>.md` and `<name>.html`) into `outDir` from a results object (the grader calls
 * this for each learner repository), copies the week's screenshot into the journal's assets after checking it is
 * the PNG that run took, and checks every link of the journal. Never throws for a missing screenshot: the journal
 * says why.
 */
export async function writeJournal(results: RunResults, outDir: string, options: WriteJournalOptions): Promise<WrittenJournal> {
  const { journal } = options;
  const root = options.projectRoot ?? process.cwd();
  await mkdir(outDir, { recursive: true });
  const { screenshot, file: screenshotFile } = await placeScreenshot(results, journal, outDir, root);
  const markdown = renderJournal(results, { journal, ...(screenshot ? { screenshot } : {}) });
  const markdownFile = path.join(outDir, `${journal.name}.md`);
  const htmlFile = path.join(outDir, `${journal.name}.html`);
  await writeFileAtomically(markdownFile, markdown);
  await writeFileAtomically(htmlFile, renderJournalHtml(markdown));
  return { markdownFile, htmlFile, screenshotFile, brokenLinks: checkJournalLinks(markdown, outDir) };
}

/**
 * The screenshot the results recorded, checked and copied next to the journal; or the reason it cannot be
 * shown. The file must still be the PNG that run took (same SHA-256), so a later run's picture never appears
 * in an earlier run's journal.
 */
async function placeScreenshot(
  results: RunResults,
  journal: WeekJournal,
  outDir: string,
  root: string,
): Promise<{ screenshot: JournalScreenshot | undefined; file: string | undefined }> {
  const fromResults = screenshotFromResults(results, journal);
  const name = screenshotName(journal);
  if (!fromResults || 'missingReason' in fromResults || !name) return { screenshot: fromResults, file: undefined };
  const evidence = recordedScreenshot(results, journal);
  if (!evidence) return { screenshot: { missingReason: 'The results name no screenshot file.' }, file: undefined };
  const source = path.resolve(root, evidence.path);
  const missing = (why: string) => ({ screenshot: { missingReason: why }, file: undefined });
  let data: Buffer;
  try {
    data = await readFile(source);
  } catch (error) {
    return missing(`The screenshot task ${journal.screenshot?.task ?? ''} took (${evidence.path}) cannot be read (${errorMessage(error)}); run the labs again to take a new one.`);
  }
  let png;
  try {
    png = readPng(data);
  } catch (error) {
    return missing(`${evidence.path} is not a valid PNG (${errorMessage(error)}); run the labs again to take a new screenshot.`);
  }
  if (evidence.sha256 && createHash('sha256').update(data).digest('hex') !== evidence.sha256) {
    return missing(`${evidence.path} is no longer the screenshot this run took (a later run replaced it); run the labs again.`);
  }
  const target = path.resolve(outDir, journal.assetsDir, name);
  if (target !== source) {
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  return {
    screenshot: { ...fromResults, width: png.width, height: png.height, bytes: png.bytes },
    file: target,
  };
}
