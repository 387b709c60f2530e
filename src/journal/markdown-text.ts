import { toPlainText } from '../renderers/plain-text.ts';

// Everything the journal prints comes from a results file, and much of it from a learner's scripts. These
// helpers make any text show as that same text, in GitHub's renderer and in markdown-it alike: nothing in it can
// open a link, an image, HTML, emphasis, math or a new block, split a table cell, or close a code block early.

/**
 * Inline punctuation with a meaning anywhere in a line: `$` is math on GitHub, `~` strikethrough, `|` a cell, a
 * trailing `#` closes a heading.
 */
const INLINE_SPECIAL = /[\\`*_[\]~|$#]/g;
/** What would start a block at the beginning of a line: list item, thematic break, setext underline (`#` is escaped anyway). */
const BLOCK_START = /^(?:([+=-])|(\d{1,9})([.)]))/;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

interface Piece {
  code: boolean;
  text: string;
}

/**
 * Splits text into plain runs and code spans as CommonMark does: a run of N backticks opens a span that the
 * next run of exactly N backticks closes; a run without a partner is literal text.
 */
function splitCodeSpans(text: string): Piece[] {
  const pieces: Piece[] = [];
  const runs = [...text.matchAll(/`+/g)].map((m) => ({ at: m.index, length: m[0].length }));
  let plainFrom = 0;
  for (let i = 0; i < runs.length; i++) {
    const open = runs[i];
    if (!open) continue;
    const closeIndex = runs.findIndex((run, j) => j > i && run.length === open.length);
    const close = runs[closeIndex];
    if (!close) continue;
    pieces.push({ code: false, text: text.slice(plainFrom, open.at) });
    pieces.push({ code: true, text: text.slice(open.at, close.at + close.length) });
    plainFrom = close.at + close.length;
    i = closeIndex;
  }
  pieces.push({ code: false, text: text.slice(plainFrom) });
  return pieces.filter((p) => p.text !== '');
}

function escapePlain(text: string): string {
  return text.replace(/[&<>]/g, (c) => HTML_ENTITY[c] ?? c).replace(INLINE_SPECIAL, '\\$&');
}

/** A code span kept as is; in a table cell its pipes are escaped, unless a backslash makes that ambiguous. */
function keepCode(code: string, inTable: boolean): string {
  if (!inTable) return code;
  return /\\\|/.test(code) ? escapePlain(code) : code.replace(/\|/g, '\\|');
}

function render(text: string, inTable: boolean): string {
  const flat = toPlainText(text).replace(/\s*\n\s*/g, ' ').trim();
  return splitCodeSpans(flat)
    .map((piece) => (piece.code ? keepCode(piece.text, inTable) : escapePlain(piece.text)))
    .join('');
}

/** Escapes what would start a block at the beginning of a line: `- x` and `+ x` escape the marker, `1. x` the dot. */
function escapeLineStart(line: string): string {
  return line.replace(BLOCK_START, (_, marker: string | undefined, digits: string, dot: string) => (marker ? `\\${marker}` : `${digits}\\${dot}`));
}

/**
 * The text a reader sees of `inlineText(text)`: code spans without their backticks (and without the one space
 * of padding CommonMark strips), everything else as is. Heading anchors are made from this.
 */
export function visibleText(text: string): string {
  const flat = toPlainText(text).replace(/\s*\n\s*/g, ' ').trim();
  return splitCodeSpans(flat)
    .map((piece) => {
      if (!piece.code) return piece.text;
      const ticks = /^`+/.exec(piece.text)?.[0].length ?? 0;
      const content = piece.text.slice(ticks, piece.text.length - ticks);
      return /^ .*[^ ].* $/s.test(content) ? content.slice(1, -1) : content;
    })
    .join('');
}

/**
 * One line of untrusted text as inline markdown. Code spans (`like this`) in grader messages stay code spans;
 * everything else shows literally. Line breaks become spaces.
 */
export function inlineText(text: string): string {
  return render(text, false);
}

/**
 * Multi-line untrusted text inside a paragraph or list item: each line escaped, lines kept apart by hard breaks
 * (a trailing backslash), blank lines dropped so the paragraph never ends early. `indent` prefixes continuation
 * lines (two spaces keep them inside a list item).
 */
export function inlineLines(text: string, indent = ''): string {
  const joined = splitCodeSpans(toPlainText(text))
    // A code span may cross lines; keep it whole (its line breaks become spaces, as CommonMark renders them).
    .map((piece) => (piece.code ? piece.text.replace(/\n/g, ' ') : piece.text))
    .join('');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => escapeLineStart(inlineText(line)))
    .join(`\\\n${indent}`);
}

/** Untrusted text as one code span, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const flat = toPlainText(text).replace(/\s*\n\s*/g, ' ');
  if (flat.trim() === '') return '';
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  // Content that starts or ends with a backtick or a space needs one space of padding, which CommonMark strips.
  const pad = /^[`\s]|[`\s]$/.test(flat) ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/**
 * A fenced code block that nothing inside can close: the fence is one backtick longer than the longest run of
 * backticks in the text (at least three). Must start at the beginning of a line (not inside a list item).
 */
export function codeBlock(text: string, info = 'text'): string {
  const body = toPlainText(text).replace(/\n+$/, '');
  const longest = Math.max(0, ...[...body.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  const lang = info.replace(/[^A-Za-z0-9_-]/g, '');
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** A table cell of untrusted text: inline, one line, pipes escaped (GFM splits cells before anything else). */
export function cell(text: string | number): string {
  return typeof text === 'number' ? String(text) : render(text, true);
}

/** A table cell holding one code span, for identifiers such as attribute and table names. */
export function codeCell(text: string): string {
  const span = codeSpan(text);
  return span === '' ? '' : keepCode(span, true);
}

/** A GFM table; cells must be rendered with `cell` or `codeCell`. `right` marks right-aligned (numeric) columns. */
export function table(headers: string[], rows: string[][], right: number[] = []): string {
  const line = (cells: string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  const rule = headers.map((_, i) => (right.includes(i) ? '---:' : '---'));
  return [line(headers.map((h) => cell(h))), line(rule), ...rows.map((row) => line(headers.map((_, i) => row[i] ?? '')))].join('\n');
}
