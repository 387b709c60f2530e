import { statSync } from 'node:fs';
import path from 'node:path';
import type { Token } from 'markdown-it';
import { journalMarkdownIt } from './markdown-parser.ts';

/** A link or image in the journal whose target is not there. */
export interface BrokenLink {
  kind: 'link' | 'image';
  /** The target as the markdown has it (after markdown-it's URL normalization). */
  target: string;
  /** 1-based line of the markdown where it is. */
  line: number | undefined;
  reason: string;
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * Finds every link and image target in the markdown (from markdown-it's token stream, so code blocks and
 * escaped text are never mistaken for links) and returns those that do not resolve: relative paths checked on
 * disk against `baseDir`, `#anchors` against the document's own headings (GitHub-style ids). Web links and
 * other schemes are not checked.
 */
export function checkJournalLinks(markdown: string, baseDir: string): BrokenLink[] {
  const md = journalMarkdownIt();
  const tokens = md.parse(markdown, {});
  const anchors = new Set<string>(tokens.filter((t: Token) => t.type === 'heading_open').map((t: Token) => String(t.attrGet('id') ?? '')));
  const broken: BrokenLink[] = [];
  // Table cells carry no line map of their own: use the row's (the last block that had one).
  let blockLine: number | undefined;
  for (const block of tokens) {
    if (block.map) blockLine = block.map[0] + 1;
    if (block.type !== 'inline') continue;
    for (const { kind, target, lineOffset } of targets(block.children ?? [])) {
      const reason = problem(target, anchors, baseDir, kind);
      if (reason) broken.push({ kind, target, line: blockLine === undefined ? undefined : blockLine + lineOffset, reason });
    }
  }
  return broken;
}

interface Target {
  kind: 'link' | 'image';
  target: string;
  /** Line breaks before it inside its paragraph. */
  lineOffset: number;
}

function targets(children: Token[], found: Target[] = [], position = { line: 0 }): Target[] {
  for (const child of children) {
    if (child.type === 'softbreak' || child.type === 'hardbreak') position.line += 1;
    if (child.type === 'link_open') found.push({ kind: 'link', target: String(child.attrGet('href') ?? ''), lineOffset: position.line });
    if (child.type === 'image') found.push({ kind: 'image', target: String(child.attrGet('src') ?? ''), lineOffset: position.line });
    // An image's alt text has children of its own (it may even hold a link).
    if (child.children) targets(child.children, found, position);
  }
  return found;
}

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function problem(target: string, anchors: Set<string>, baseDir: string, kind: 'link' | 'image'): string | undefined {
  if (target === '') return 'the target is empty';
  if (target.startsWith('#')) {
    const id = decode(target.slice(1));
    if (id === undefined) return 'the anchor is not valid percent-encoding';
    return id === '' || anchors.has(id) ? undefined : `no heading in the journal has the anchor #${id}`;
  }
  if (SCHEME.test(target) || target.startsWith('//')) return undefined;
  const file = decode(target.replace(/[?#].*$/, ''));
  if (file === undefined) return 'the path is not valid percent-encoding';
  if (file.startsWith('/')) return 'an absolute path breaks when the journal moves; use a path relative to the journal';
  const resolved = path.resolve(baseDir, file);
  let stats;
  try {
    stats = statSync(resolved);
  } catch {
    return `no such file: ${path.relative(baseDir, resolved) || resolved} (looked in ${baseDir})`;
  }
  if (kind === 'image' && !stats.isFile()) return `${file} is not a file`;
  return undefined;
}
