// Code spans (`...`, ``...``) in grader messages are intended markdown and keep their text verbatim;
// everywhere else HTML-special characters are escaped so learner text never renders as HTML.
const CODE_SPAN = /(`+)([\s\S]*?[^`])\1(?!`)/g;

/** Escapes `&`, `<` and `>` outside code spans; markdown such as `code` and **bold** still renders. */
export function escapeMarkdownInline(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(CODE_SPAN)) {
    out += escapeHtml(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escapeHtml(text.slice(last));
}

/** Makes text safe for one GitHub table cell: pipes escaped, line breaks as `<br>`. */
export function escapeTableCell(text: string): string {
  return escapeMarkdownInline(text.trim())
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Indents every line after the first so multi-line text stays inside a list item. */
export function indentContinuation(text: string, indent = '  '): string {
  return text.replace(/\r?\n/g, `\n${indent}`);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
