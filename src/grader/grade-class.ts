import { readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../errors.ts';
import { renderGradebook, type GradebookRow } from '../renderers/index.ts';
import type { RunResults } from '../results/model.ts';
import { errorResults } from './error-results.ts';
import { gitCommit } from './git-info.ts';
import { gradeRepository, selectedLabs, type GradeOptions } from './grade-repository.ts';
import { exitCodeFor, writeReports } from './write-reports.ts';

/** The repositories of a class: every directory directly inside `dir`, by name. */
export function listRepositories(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(path.join(dir, name)).isDirectory())
    .sort()
    .map((name) => path.join(dir, name));
}

export interface ClassOutcome {
  rows: GradebookRow[];
  gradebook: string;
  exitCode: number;
}

/**
 * Grades every repository with the services started once, a fresh state for each (every lab resets it),
 * and writes per-repository reports and a gradebook. A broken repository never stops the batch.
 */
export async function gradeClass(
  dir: string,
  options: Omit<GradeOptions, 'outDir' | 'log'> & { outDir: string },
  progress: (line: string) => void,
): Promise<ClassOutcome> {
  const repos = listRepositories(dir);
  const rows: GradebookRow[] = [];
  let worst = 0;
  for (const [index, repo] of repos.entries()) {
    const name = path.basename(repo);
    const outDir = path.join(options.outDir, name);
    const started = Date.now();
    let results: RunResults;
    try {
      results = await gradeRepository(repo, { ...options, outDir, log: path.join(outDir, 'labs.log') });
    } catch (error) {
      results = errorResults(selectedLabs(options), errorMessage(error), { kind: 'repository', path: repo });
    }
    await writeReports(results, outDir, {});
    const commit = results.submission.commit ?? gitCommit(repo);
    rows.push({ name, ...(commit ? { commit } : {}), results, ...(results.message && results.status === 'error' ? { error: results.message } : {}) });
    worst = Math.max(worst, exitCodeFor(results.status));
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    progress(`[${index + 1}/${repos.length}] ${name}: ${results.status} ${results.score}/${results.max_score} (${secs} s)`);
  }
  const gradebook = path.join(options.outDir, 'gradebook.csv');
  await writeFile(gradebook, renderGradebook(rows));
  return { rows, gradebook, exitCode: repos.length === 0 ? 2 : worst };
}
