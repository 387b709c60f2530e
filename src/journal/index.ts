/**
 * The journal: the week's evidence as markdown (`week05.md`) and a standalone HTML page, rendered from the
 * results file and nothing else (plus the screenshot file lab 06 recorded in it).
 */
export { checkJournalLinks, type BrokenLink } from './check-links.ts';
export { renderJournalHtml } from './render-html.ts';
export {
  ADMIN_UI_LAB,
  DEFAULT_ASSETS_DIR,
  renderJournal,
  SCREENSHOT_NAME,
  SCREENSHOT_TASK,
  screenshotFromResults,
  type JournalOptions,
  type JournalScreenshot,
} from './render-journal.ts';
export { JOURNAL_NAME, writeJournal, type WriteJournalOptions, type WrittenJournal } from './write-journal.ts';
