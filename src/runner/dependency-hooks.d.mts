/** What Node's load hook gets and gives, as far as dependency-hooks.mjs uses it. */
export interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

export function load(url: string, context: { format?: string | null }, nextLoad: (url: string, context: { format?: string | null }) => Promise<LoadResult>): Promise<LoadResult>;
