import { describe, expect, it } from 'vitest';
import { renderJournal } from '../../../src/journal/render-journal.ts';
import { renderJournalHtml } from '../../../src/journal/render-html.ts';
import { hostileRun, passingWeekRun } from '../../fixtures/results.ts';
import { WEEK05_JOURNAL } from '../../../labs/week-05/journal.ts';

const JOURNAL = { journal: WEEK05_JOURNAL };

describe('renderJournalHtml', () => {
  it('makes one standalone page: doctype, title from the first heading, inline CSS, no scripts or external resources', () => {
    const html = renderJournalHtml(renderJournal(passingWeekRun(), JOURNAL));
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>Week 05 journal: DynamoDB</title>');
    expect(html).toMatch(/<style>[\s\S]*table \{[\s\S]*<\/style>/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src 'self' file: data:; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!127\.0\.0\.1)/);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('renders tables, code blocks, the screenshot and heading ids that the summary links use', () => {
    const html = renderJournalHtml(renderJournal(passingWeekRun(), JOURNAL));
    expect(html).toContain('<h2 id="lab-02-create-table-create-the-cruddur-messages-table-schema-load">');
    expect(html).toContain('<a href="#lab-02-create-table-create-the-cruddur-messages-table-schema-load"><code>02-create-table</code></a>');
    expect(html).toContain('<td><code>message-group-sk-index</code></td>');
    expect(html).toContain('<pre><code class="language-console">$ npm run ddb:schema-load\n');
    expect(html).toContain('<img src="assets/week05/06-admin-ui.png" alt="DynamoDB Admin showing the items of cruddur-messages">');
  });

  it('never turns learner text into markup: raw HTML, javascript: links and remote images stay text', () => {
    const html = renderJournalHtml(renderJournal(hostileRun(), JOURNAL));
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>/);
    expect(html).not.toMatch(/href="javascript:/i);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;\n| a | b |\n</code></pre>');
  });

  it('escapes raw HTML even in markdown written by hand', () => {
    const html = renderJournalHtml('# T <i>x</i>\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))\n');
    expect(html).toContain('<title>T &lt;i&gt;x&lt;/i&gt;</title>');
    expect(html).toContain('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('<p>[x](javascript:alert(1))</p>');
  });
});
