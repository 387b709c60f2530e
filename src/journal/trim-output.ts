import { toPlainText } from '../renderers/plain-text.ts';

const HEAD_LINES = 20;
const TAIL_LINES = 8;
const MAX_LINE = 240;

/**
 * Output as a reader of the journal wants it: the first and last lines, long lines shortened, the gap said out
 * loud. The results file keeps the longer capture.
 */
export function trimForJournal(text: string): string {
  const lines = toPlainText(text).replace(/\s+$/, '').split('\n');
  if (lines.length === 1 && lines[0] === '') return '';
  const shorten = (line: string): string => {
    const chars = [...line];
    return chars.length > MAX_LINE ? `${chars.slice(0, MAX_LINE).join('')} … [${chars.length - MAX_LINE} more characters]` : line;
  };
  if (lines.length <= HEAD_LINES + TAIL_LINES + 1) return lines.map(shorten).join('\n');
  const omitted = lines.length - HEAD_LINES - TAIL_LINES;
  return [...lines.slice(0, HEAD_LINES), `… [${omitted} lines left out] …`, ...lines.slice(-TAIL_LINES)].map(shorten).join('\n');
}
