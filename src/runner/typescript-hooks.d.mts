/** What Node's load hook gets and gives, as far as typescript-hooks.mjs uses it. */
export interface LoadResult {
  format?: string | null;
  source?: string | ArrayBuffer | Uint8Array;
  shortCircuit?: boolean;
}

type Context = { format?: string | null };

export function load(url: string, context: Context, nextLoad: (url: string, context: Context) => Promise<LoadResult>): Promise<LoadResult>;
export function loadSync(url: string, context: Context, nextLoad: (url: string, context: Context) => LoadResult): LoadResult;
export function cachedOutputPath(file: string, source: string): string | undefined;
export const COMPILER_OPTIONS: { verbatimModuleSyntax: boolean; target: string };
