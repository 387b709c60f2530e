import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResults } from './model.ts';

export const RESULTS_FILE = 'results.json';

/** Writes the results file atomically (a reader never sees half a file). Returns its path. */
export async function writeResults(dir: string, results: RunResults): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, RESULTS_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(results, null, 2)}\n`);
  await rename(tmp, file);
  return file;
}
