import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

/**
 * What the embedded backend keeps in the cache folder, one entry per setting (a Postgres template per initdb's
 * settings, a DynamoDB Local class archive per JVM and jar): an entry in use is marked by its time, and the entries
 * of other settings (an older Postgres or Java, other flags) go once nothing has used them for a week. Another
 * checkout sharing the cache folder may still use one until then.
 */
export const UNUSED_MS = 7 * 24 * 60 * 60_000;

/** What in `cacheDir` starts with `prefix` (but `keep`) and has not changed for `olderThanMs` goes. */
export function removeStale(cacheDir: string, prefix: string, olderThanMs: number, keep?: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = path.join(cacheDir, name);
    if (!name.startsWith(prefix) || full === keep) continue;
    try {
      if (Date.now() - statSync(full).mtimeMs > olderThanMs) rmSync(full, { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove: only space is lost.
    }
  }
}

/** Marks the entry `dir` as used now, and removes the entries of its kind (`prefix`) that no start used for a week. */
export function markUsed(cacheDir: string, prefix: string, dir: string): void {
  const now = new Date();
  try {
    utimesSync(dir, now, now);
  } catch {
    // Only its age is wrong: it may be removed a week early and made again.
  }
  removeStale(cacheDir, prefix, UNUSED_MS, dir);
}
