import type { Token } from 'markdown-it';
import { inlineTokenText, journalMarkdownIt } from './markdown-parser.ts';

// Small, readable, printable; no external resources (the CSP below forbids them anyway).
const STYLE = `
  body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", sans-serif; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; background: #fff; }
  h1 { font-size: 1.8rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
  h2 { font-size: 1.4rem; margin-top: 2.2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; }
  h3 { font-size: 1.15rem; margin-top: 1.6rem; }
  h4 { font-size: 1rem; margin-top: 1.3rem; color: #424a53; }
  table { border-collapse: collapse; margin: .6rem 0 1rem; display: block; overflow-x: auto; }
  th, td { border: 1px solid #d0d7de; padding: .3rem .6rem; text-align: left; vertical-align: top; }
  th { background: #f6f8fa; }
  td[style*="right"], th[style*="right"] { text-align: right; }
  code { font: .9em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eff1f3; padding: .1em .3em; border-radius: 4px; }
  pre { background: #f6f8fa; border: 1px solid #d0d7de; border-radius: 6px; padding: .7rem 1rem; overflow-x: auto; }
  pre code { background: none; padding: 0; white-space: pre; }
  img { max-width: 100%; border: 1px solid #d0d7de; border-radius: 6px; }
  a { color: #0969da; }
  @media print { body { background: #fff; } main { padding: 0; } pre { white-space: pre-wrap; } }
`;

// Even if something slipped through, the page runs no script and loads nothing from elsewhere.
const CSP = "default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'";

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The journal's markdown as one standalone HTML page (inline CSS, no scripts, no external resources). Raw HTML
 * in the markdown is shown as text, never rendered, so learner output cannot inject markup.
 */
export function renderJournalHtml(markdown: string, options: { title?: string } = {}): string {
  const md = journalMarkdownIt();
  const tokens = md.parse(markdown, {});
  const h1 = tokens.findIndex((t: Token) => t.type === 'heading_open' && t.tag === 'h1');
  const inline = h1 >= 0 ? tokens[h1 + 1] : undefined;
  const title = options.title ?? (inline ? inlineTokenText(inline) : '');
  const body = md.renderer.render(tokens, md.options, {});
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    `<title>${escapeHtml(title || 'Journal')}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    body.trimEnd(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
