import type { Status } from '../results/model.ts';
import type { GradebookRow } from './gradebook-csv.ts';
import { escapeMarkdownInline, escapeTableCell } from './markdown-escape.ts';
import { formatPoints } from './numbers.ts';
import { toPlainText } from './plain-text.ts';

const MESSAGE_LIMIT = 200;
const COMMIT_LENGTH = 7;
const NOT_GRADED = 'No results: the repository could not be graded.';

export interface ClassSummaryOptions {
  /** The heading; "Class summary" by default. */
  title?: string;
}

/**
 * Renders a markdown summary of a class for an instructor (`$GITHUB_STEP_SUMMARY`, `class-summary.md`): the
 * counts (repositories; pass / fail / could not be graded), the mean and median score over graded repositories
 * only (status pass or fail: a repository that errored is not a score), a table per lab (how many repositories
 * passed, failed, could not be graded: a repository without results counts as not graded for every lab), then
 * one row per repository in the given order (status, score, short commit, message on one line). Names and
 * messages are escaped for table cells.
 */
export function renderClassSummary(rows: GradebookRow[], options: ClassSummaryOptions = {}): string {
  const sections = [`# ${escapeMarkdownInline(options.title ?? 'Class summary')}`];
  if (rows.length === 0) {
    sections.push('_No repositories: nothing was graded._');
  } else {
    sections.push(countLine(rows), scoreLine(rows), '## Labs', labTable(rows), '## Repositories', repositoryTable(rows));
  }
  return `${sections.join('\n\n')}\n`;
}

function rowStatus(row: GradebookRow): Status {
  return row.results?.status ?? 'error';
}

function countLine(rows: GradebookRow[]): string {
  const n = (status: Status): number => rows.filter((row) => rowStatus(row) === status).length;
  const repositories = rows.length === 1 ? '1 repository' : `${rows.length} repositories`;
  return `${repositories}: **${n('pass')} pass**, **${n('fail')} fail**, **${n('error')} could not be graded** (error).`;
}

function scoreLine(rows: GradebookRow[]): string {
  const graded = rows.flatMap((row) => (row.results && row.results.status !== 'error' ? [row.results] : []));
  if (graded.length === 0) return 'No repository could be graded, so there is no mean or median score.';
  const scores = graded.map((results) => results.score);
  const maxima = [...new Set(graded.map((results) => results.max_score))];
  const outOf = maxima.length === 1 ? ` / ${formatPoints(maxima[0] ?? 0)}` : '';
  const over = graded.length === 1 ? '1 graded repository' : `${graded.length} graded repositories`;
  const varies =
    maxima.length > 1
      ? ` The maximum differs between repositories (${formatPoints(Math.min(...maxima))} to ${formatPoints(Math.max(...maxima))} points): they were graded on different labs.`
      : '';
  return (
    `Mean score ${formatPoints(mean(scores))}${outOf}, median ${formatPoints(median(scores))}${outOf}, over ${over}; ` +
    `repositories that could not be graded are left out.${varies}`
  );
}

function labTable(rows: GradebookRow[]): string {
  const labIds = [...new Set(rows.flatMap((row) => row.results?.labs.map((lab) => lab.id) ?? []))].sort();
  if (labIds.length === 0) return '_No lab results were recorded._';
  const counts = new Map(labIds.map((id) => [id, { pass: 0, fail: 0, error: 0 }]));
  for (const row of rows) {
    if (row.results === null) {
      for (const count of counts.values()) count.error += 1;
      continue;
    }
    for (const lab of row.results.labs) {
      const count = counts.get(lab.id);
      if (count) count[lab.status] += 1;
    }
  }
  const lines = labIds.map((id) => {
    const count = counts.get(id) ?? { pass: 0, fail: 0, error: 0 };
    return `| ${escapeTableCell(id)} | ${count.pass} | ${count.fail} | ${count.error} |`;
  });
  return ['| Lab | Passed | Failed | Could not be graded |', '| --- | ---: | ---: | ---: |', ...lines].join('\n');
}

function repositoryTable(rows: GradebookRow[]): string {
  const lines = rows.map((row) => {
    const { results } = row;
    const status = rowStatus(row);
    const score = results && status !== 'error' ? `${formatPoints(results.score)} / ${formatPoints(results.max_score)}` : '—';
    const commit = (row.commit ?? results?.submission.commit ?? '').slice(0, COMMIT_LENGTH);
    const cells = [row.name, status, score, commit, messageOf(row)].map(escapeTableCell);
    return `| ${cells.join(' | ')} |`;
  });
  return ['| Repository | Status | Score | Commit | Message |', '| --- | --- | ---: | --- | --- |', ...lines].join('\n');
}

/**
 * The row's message as the gradebook gives it (for an errored run without one, its first unverified task's),
 * on one line and at most MESSAGE_LIMIT characters.
 */
function messageOf(row: GradebookRow): string {
  const { results } = row;
  const unverified = results?.status === 'error' ? results.tests.find((t) => t.status === 'error') : undefined;
  const fallback = unverified && !results?.message?.trim() ? `${unverified.task_id}: ${unverified.message}` : undefined;
  const parts = results === null ? [row.error?.trim() || NOT_GRADED] : [row.error, results.message, fallback];
  const text = toPlainText(parts.filter((m): m is string => Boolean(m?.trim())).join(' / '))
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= MESSAGE_LIMIT) return text;
  // Cut before a surrogate pair rather than through it: half a pair is not a character.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(MESSAGE_LIMIT - 2)) ? MESSAGE_LIMIT - 2 : MESSAGE_LIMIT - 1;
  return `${text.slice(0, end).trimEnd()}…`;
}

function mean(values: number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? 0) + upper) / 2;
}
