// Reads DynamoDB Admin the way its pages do: the table list is server-rendered HTML, a table's page fetches its
// items as JSON from `/tables/<name>/items` (25 per page, `nextKey` to page on).

/** One HTTP exchange with the UI, kept for the journal. */
export interface Fetched {
  url: string;
  status: number;
  body: string;
  durationMs: number;
}

export async function fetchPage(url: string, timeoutMs = 10_000): Promise<Fetched> {
  const started = Date.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { url, status: response.status, body: await response.text(), durationMs: Date.now() - started };
}

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#34;': '"', '&#39;': "'" };

function decodeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#34|#39);/g, (entity) => ENTITIES[entity] ?? entity);
}

/** The tables of the list page (`/`) with the item count each shows. */
export function listedTables(html: string): Array<{ name: string; itemCount: number | undefined }> {
  return html
    .split(/<li class="list-group-item"/)
    .slice(1)
    .flatMap((entry) => {
      const name = /data-table-name="([^"]*)"/.exec(entry)?.[1];
      if (name === undefined) return [];
      const count = /badge-secondary[^>]*>\s*(\d+)\s*</.exec(entry)?.[1];
      return [{ name: decodeHtml(name), itemCount: count === undefined ? undefined : Number(count) }];
    });
}

/** The item count a table's page shows next to its name in the breadcrumb. */
export function shownItemCount(html: string): number | undefined {
  const count = /breadcrumb-item active[^>]*>[\s\S]*?badge[^>]*>\s*(\d+)\s*</.exec(html)?.[1];
  return count === undefined ? undefined : Number(count);
}

export type Item = Record<string, unknown>;

interface ItemsPage {
  Items?: Item[];
  nextKey?: string | null;
}

/** Every item the table's page would show, following its "Next Page" links; with the number of pages. */
export async function servedItems(base: string, table: string, maxPages = 200): Promise<{ items: Item[]; pages: number; requests: Fetched[] }> {
  const items: Item[] = [];
  const requests: Fetched[] = [];
  let query = '';
  for (let page = 1; page <= maxPages; page++) {
    const fetched = await fetchPage(`${base}/tables/${encodeURIComponent(table)}/items${query}`);
    requests.push({ ...fetched, body: '' });
    if (fetched.status !== 200) throw new Error(`${fetched.url} answered HTTP ${fetched.status}: ${fetched.body.slice(0, 300)}`);
    const data = JSON.parse(fetched.body) as ItemsPage;
    // `__key` is the UI's own bookkeeping, not an attribute of the item.
    items.push(...(data.Items ?? []).map(({ __key: _key, ...item }) => item));
    if (!data.nextKey) return { items, pages: page, requests };
    // nextKey comes URL-encoded already, as the page puts it into its "Next Page" link.
    query = `?startKey=${data.nextKey}&pageNum=${page + 1}`;
  }
  throw new Error(`the items of ${table} did not end after ${maxPages} pages`);
}
