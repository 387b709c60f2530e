import MarkdownIt from 'markdown-it';
import type { MarkdownIt as MarkdownItInstance, Token } from 'markdown-it';
import { Slugger } from './slug.ts';

/** The text a reader sees in an inline token (text and code, images' alt text), as GitHub slugs it. */
export function inlineTokenText(token: Token): string {
  return (token.children ?? [])
    .map((child) => (child.type === 'text' || child.type === 'code_inline' ? child.content : child.children ? inlineTokenText(child) : ''))
    .join('');
}

/**
 * The one markdown-it setup of the journal: CommonMark plus tables, raw HTML off (learner text can never become
 * markup), no typographic replacements, and GitHub-style `id`s on headings so `#anchors` resolve as on GitHub.
 */
export function journalMarkdownIt(): MarkdownItInstance {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  md.core.ruler.push('journal_heading_ids', (state) => {
    const slugger = new Slugger();
    state.tokens.forEach((token, i) => {
      const inline = state.tokens[i + 1];
      if (token.type === 'heading_open' && inline?.type === 'inline') token.attrSet('id', slugger.slug(inlineTokenText(inline)));
    });
  });
  return md;
}
