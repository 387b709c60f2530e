import type { Token } from 'markdown-it';
import { inlineTokenText, journalMarkdownIt } from '../../../src/journal/markdown-parser.ts';

/** The journal as a reader sees it: parsed by markdown-it, so the tests assert on rendered text, not on escapes. */
export interface MarkdownView {
  tokens: Token[];
  headings: Array<{ level: number; text: string; id: string }>;
  /** Every table as rows of cell texts (header row first). */
  tables: string[][][];
  /** Fenced code blocks: info string and exact content. */
  fences: Array<{ info: string; content: string; markup: string }>;
  links: string[];
  images: string[];
  /** Text of every paragraph, list item paragraph and table cell, joined. */
  text: string;
}

/** Text of an inline token with its line breaks kept. */
function textOf(inline: Token): string {
  return (inline.children ?? [])
    .map((c) => (c.type === 'hardbreak' || c.type === 'softbreak' ? '\n' : c.type === 'text' || c.type === 'code_inline' ? c.content : ''))
    .join('');
}

function inlineChildren(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.type === 'inline').flatMap((t) => flatten(t.children ?? []));
}

function flatten(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...flatten(t.children ?? [])]);
}

export function view(markdown: string): MarkdownView {
  const tokens = journalMarkdownIt().parse(markdown, {});
  const headings = tokens.flatMap((t, i) => {
    const inline = tokens[i + 1];
    return t.type === 'heading_open' && inline ? [{ level: Number(t.tag.slice(1)), text: inlineTokenText(inline), id: String(t.attrGet('id')) }] : [];
  });
  const tables: string[][][] = [];
  let table: string[][] | undefined;
  let row: string[] | undefined;
  tokens.forEach((t, i) => {
    if (t.type === 'table_open') table = [];
    if (t.type === 'tr_open') row = [];
    if ((t.type === 'th_open' || t.type === 'td_open') && row) {
      const inline = tokens[i + 1];
      row.push(inline?.type === 'inline' ? inlineTokenText(inline) : '');
    }
    if (t.type === 'tr_close' && row && table) table.push(row);
    if (t.type === 'table_close' && table) tables.push(table);
  });
  const children = inlineChildren(tokens);
  return {
    tokens,
    headings,
    tables,
    fences: tokens.filter((t) => t.type === 'fence').map((t) => ({ info: t.info, content: t.content, markup: t.markup })),
    links: children.filter((t) => t.type === 'link_open').map((t) => String(t.attrGet('href'))),
    images: children.filter((t) => t.type === 'image').map((t) => String(t.attrGet('src'))),
    text: tokens
      .filter((t) => t.type === 'inline')
      .map((t) => textOf(t))
      .join('\n'),
  };
}

/** The table whose header row is `header`. */
export function tableWithHeader(v: MarkdownView, header: string[]): string[][] | undefined {
  return v.tables.find((t) => JSON.stringify(t[0]) === JSON.stringify(header));
}
