/**
 * The journal: the week's evidence as markdown (`<name>.md`, named by the week's manifest) and a standalone HTML
 * page, rendered from the results file and nothing else (plus the screenshot file the labs recorded in it).
 */
export { checkJournalLinks, type BrokenLink } from './check-links.ts';
export type { EvidenceColumn, EvidencePart, EvidenceView } from './evidence-view.ts';
export { renderJournalHtml } from './render-html.ts';
export { renderJournal, screenshotFromResults, type JournalOptions, type JournalScreenshot } from './render-journal.ts';
export { labOfTask, screenshotName, type WeekJournal } from './week-journal.ts';
export { writeJournal, type WriteJournalOptions, type WrittenJournal } from './write-journal.ts';
