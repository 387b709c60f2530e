import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import { readPng } from '../labkit/png-header.ts';
import type { RunResults } from '../results/model.ts';
import { checkJournalLinks, type BrokenLink } from './check-links.ts';
import { readScreenshot } from './evidence.ts';
import { renderJournalHtml } from './render-html.ts';
import {
  DEFAULT_ASSETS_DIR,
  renderJournal,
  SCREENSHOT_NAME,
  SCREENSHOT_TASK,
  screenshotFromResults,
  type JournalScreenshot,
} from './render-journal.ts';

/** The journal's base file name: `week05.md` and `week05.html`. */
export const JOURNAL_NAME = 'week05';

export interface WriteJournalOptions {
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
 * Writes `week05.md` and `week05.html` into `outDir` from a results object (the grader calls this for each
 * learner repository), copies lab 06's screenshot to `outDir/assets/week05/` after checking it is the PNG that
 * run took, and checks every link of the journal. Never throws for a missing screenshot: the journal says why.
 */
export async function writeJournal(results: RunResults, outDir: string, options: WriteJournalOptions = {}): Promise<WrittenJournal> {
  const root = options.projectRoot ?? process.cwd();
  await mkdir(outDir, { recursive: true });
  const { screenshot, file: screenshotFile } = await placeScreenshot(results, outDir, root);
  const markdown = renderJournal(results, { assetsDir: DEFAULT_ASSETS_DIR, ...(screenshot ? { screenshot } : {}) });
  const markdownFile = path.join(outDir, `${JOURNAL_NAME}.md`);
  const htmlFile = path.join(outDir, `${JOURNAL_NAME}.html`);
  await writeAtomically(markdownFile, markdown);
  await writeAtomically(htmlFile, renderJournalHtml(markdown));
  return { markdownFile, htmlFile, screenshotFile, brokenLinks: checkJournalLinks(markdown, outDir) };
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

/**
 * The screenshot the results recorded, checked and copied next to the journal; or the reason it cannot be
 * shown. The file must still be the PNG that run took (same SHA-256), so a later run's picture never appears
 * in an earlier run's journal.
 */
async function placeScreenshot(
  results: RunResults,
  outDir: string,
  root: string,
): Promise<{ screenshot: JournalScreenshot | undefined; file: string | undefined }> {
  const fromResults = screenshotFromResults(results, DEFAULT_ASSETS_DIR);
  if (!fromResults || 'missingReason' in fromResults) return { screenshot: fromResults, file: undefined };
  const evidence = readScreenshot(results.tests.find((t) => t.task_id === SCREENSHOT_TASK)?.evidence?.screenshot);
  if (!evidence) return { screenshot: { missingReason: 'The results name no screenshot file.' }, file: undefined };
  const source = path.resolve(root, evidence.path);
  const missing = (why: string) => ({ screenshot: { missingReason: why }, file: undefined });
  let data: Buffer;
  try {
    data = await readFile(source);
  } catch (error) {
    return missing(`The screenshot lab 06 took (${evidence.path}) cannot be read (${errorMessage(error)}); run the labs again to take a new one.`);
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
  const target = path.resolve(outDir, DEFAULT_ASSETS_DIR, SCREENSHOT_NAME);
  if (target !== source) {
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(source, target);
  }
  return {
    screenshot: { ...fromResults, width: png.width, height: png.height, bytes: png.bytes },
    file: target,
  };
}
