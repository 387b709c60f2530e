import type { Dirent } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { readResults, renderClassSummary, renderGradebook, ResultsFileError, type GradebookRow } from '../renderers/index.ts';
import { exitCodeFor } from './exit-code.ts';
import { markReportFolder } from '../results/report-folder.ts';

export interface MergedClass {
  /** One row per repository, sorted by name (code-unit order). */
  rows: GradebookRow[];
  /** The gradebook.csv written. */
  gradebook: string;
  /** The class-summary.md written. */
  summary: string;
  /** 0 all passed, 1 some failed, 2 some could not be graded (or nothing to merge). */
  exitCode: number;
}

const EXPECTED =
  'Pass the output folders of `npm run grade -- --many` runs, one per shard (e.g. shards/shard-*), each holding ' +
  'one folder per repository with its results.json.';

/**
 * Merges the output folders of several `grade --many` runs (the shards of one class) into one gradebook:
 * reads `<dir>/<repository>/results.json` (validated) for every repository folder, sorts the rows by name and
 * writes `gradebook.csv` and `class-summary.md` into `outDir`. A repository folder without a readable results
 * file becomes a row that could not be graded. Throws a ConfigError when no folder is given, a folder is missing
 * or holds no repository folder, or two folders hold the same repository (the shards overlap).
 */
export async function mergeClassOutputs(dirs: string[], outDir: string): Promise<MergedClass> {
  if (dirs.length === 0) throw new ConfigError(`No folder to merge was given. ${EXPECTED}`);
  const seenDirs = new Map<string, string>();
  const owner = new Map<string, string>();
  const rows: GradebookRow[] = [];
  for (const dir of dirs) {
    const resolved = path.resolve(dir);
    const twice = seenDirs.get(resolved);
    if (twice !== undefined) {
      throw new ConfigError(`The folder ${dir} was given twice (also as ${twice}): each shard's folder is merged once. ${EXPECTED}`);
    }
    seenDirs.set(resolved, dir);
    for (const name of await repositoryFolders(dir)) {
      const other = owner.get(name);
      if (other !== undefined) {
        throw new ConfigError(
          `The shards overlap: the repository ${name} is in both ${other} and ${dir}, so it was graded twice. ` +
            'Give every shard job the same n and a different i (--shard 1/n ... n/n) over the same class folder, ' +
            'and merge each shard once (remove the stale folder if one is left from an earlier run).',
        );
      }
      owner.set(name, dir);
      rows.push(await readRow(name, path.join(dir, name)));
    }
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  await mkdir(outDir, { recursive: true });
  markReportFolder(outDir);
  const gradebook = path.join(outDir, 'gradebook.csv');
  const summary = path.join(outDir, 'class-summary.md');
  await Promise.all([writeFile(gradebook, renderGradebook(rows)), writeFile(summary, renderClassSummary(rows))]);
  const exitCode = rows.length === 0 ? 2 : Math.max(...rows.map((row) => exitCodeFor(row.results?.status ?? 'error')));
  return { rows, gradebook, summary, exitCode };
}

/** The repository folders directly inside one shard's output folder, by name. */
async function repositoryFolders(dir: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = errorCode(error);
    const what =
      code === 'ENOENT' ? 'does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `could not be read (${String(code)})`;
    throw new ConfigError(
      `The folder to merge ${dir} ${what}: check the path (a shard whose job failed leaves no folder; re-run that shard). ${EXPECTED}`,
      { cause: error },
    );
  }
  const names = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name);
  // A shard of a class smaller than the number of shards graded nothing, and still wrote its gradebook.
  if (names.length === 0 && entries.some((e) => e.isFile() && e.name === 'gradebook.csv')) return [];
  if (names.length === 0) {
    throw new ConfigError(
      `The folder to merge ${dir} holds no repository folder: it is not the output of \`npm run grade -- --many\`, ` +
        `or that run graded nothing. ${EXPECTED}`,
    );
  }
  return names;
}

async function readRow(name: string, folder: string): Promise<GradebookRow> {
  const file = path.join(folder, 'results.json');
  try {
    const results = await readResults(file);
    const commit = results.submission.commit;
    return { name, ...(commit ? { commit } : {}), results };
  } catch (error) {
    // One missing or broken results file must not keep the rest of the class out of the gradebook: the row says why.
    if (!(error instanceof ResultsFileError)) throw error;
    const what =
      errorCode(error.cause) === 'ENOENT'
        ? `The results file ${file} is missing: the grader did not finish this repository (its shard job may have been cancelled or timed out).`
        : `The results file of this repository cannot be used: ${error.message}`;
    const next = 'Re-run that shard, or grade the repository alone with `npm run grade -- <repository>`.';
    return { name, results: null, error: `${what} ${next}` };
  }
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}
