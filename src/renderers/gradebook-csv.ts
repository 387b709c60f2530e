import type { RunResults } from '../results/model.ts';
import { csvRecord } from './csv.ts';
import { notGradedReason } from './run-problem.ts';
import { formatPoints } from './numbers.ts';
import { toPlainText } from './plain-text.ts';

/** One learner repository for the class gradebook: its results file, or why it could not be graded. */
export interface GradebookRow {
  /** The repository (or learner) name shown in the first column. */
  name: string;
  commit?: string;
  /** The repository's results file, or null when it could not be graded at all. */
  results: RunResults | null;
  /** Why the repository could not be graded (clone failed, no results file, ...). */
  error?: string;
}

/**
 * Renders the class gradebook as CSV (RFC 4180, CRLF line ends): header
 * `repository,commit,status,score,max_score,<lab ids...>,message` with the union of lab ids across rows
 * (sorted), one record per repository in the given order, each lab cell holding that lab's status
 * (empty when the repository has no result for it). A repository that could not be graded (no results, or a
 * scored task that could not be verified) has status `error`, empty scores and the reason in `message`. Cells that a spreadsheet would run as a formula get a leading `'`.
 */
export function renderGradebook(rows: GradebookRow[]): string {
  const labIds = [...new Set(rows.flatMap((row) => row.results?.labs.map((lab) => lab.id) ?? []))].sort();
  const header = csvRecord(['repository', 'commit', 'status', 'score', 'max_score', ...labIds, 'message']);
  return header + rows.map((row) => csvRecord(gradebookFields(row, labIds))).join('');
}

function gradebookFields(row: GradebookRow, labIds: string[]): Array<string | number> {
  const { results } = row;
  if (results === null) {
    const message = row.error?.trim() || 'No results: the repository could not be graded.';
    return [row.name, row.commit ?? '', 'error', '', '', ...labIds.map(() => ''), oneLine(message)];
  }
  const byLab = new Map(results.labs.map((lab) => [lab.id, lab.status]));
  // A run that could not be graded is not a score: its cells stay empty and its message says why.
  const notGraded = notGradedReason(results);
  const message = [row.error, notGraded ?? results.message].filter((m): m is string => Boolean(m?.trim())).join(' / ');
  return [
    row.name,
    row.commit ?? results.submission.commit ?? '',
    results.status,
    notGraded === undefined ? formatPoints(results.score) : '',
    notGraded === undefined ? formatPoints(results.max_score) : '',
    ...labIds.map((id) => byLab.get(id) ?? ''),
    oneLine(message),
  ];
}

/** Messages on one line: spreadsheets handle quoted line breaks, but people grepping the file do not. */
function oneLine(text: string): string {
  return toPlainText(text).replace(/\s*\n\s*/g, ' ').trim();
}
