import path from 'node:path';
import { writeFileAtomically } from '../atomic-file.ts';
import type { RunResults } from './model.ts';

export const RESULTS_FILE = 'results.json';

/** Writes the results file atomically (a reader never sees half a file). Returns its path. */
export async function writeResults(dir: string, results: RunResults): Promise<string> {
  const file = path.join(dir, RESULTS_FILE);
  await writeFileAtomically(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}
