import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { someNames } from '../some-names.ts';

/** Name of the optional file in a learner repository that maps steps to commands. */
export const STEPS_FILE = 'cruddur-labs.json';

/** Course layouts, most specific first: the week-5 `backend-flask/bin/ddb` and the later top-level `bin/ddb`. */
export const LAYOUTS = [
  { cwd: 'backend-flask', dir: 'bin/ddb' },
  { cwd: '.', dir: 'bin/ddb' },
] as const;

/**
 * Whether `dir` looks like a learner repository: a steps file, a folder of a course layout, or git's folder. A
 * folder of repositories (a class) does not; an empty repository does not either, and is graded all the same.
 */
export function looksLikeRepository(dir: string): boolean {
  return hasCourseLayout(dir) || existsSync(path.join(dir, '.git'));
}

/** Whether `dir` has a course layout or a steps file: then it is a repository, whatever else it holds. */
function hasCourseLayout(dir: string): boolean {
  return [STEPS_FILE, ...LAYOUTS.map((l) => path.join(l.cwd, l.dir))].some((entry) => existsSync(path.join(dir, entry)));
}

/**
 * The repositories directly inside `dir` (by name) when `dir` is not one itself: a class folder named where one
 * repository was meant, which would otherwise be graded as an empty repository. Empty when `dir` is a repository:
 * it has a course layout or a steps file, or it is a git repository with at most one other inside (a submodule). A
 * git repository with several inside is a class kept in git.
 */
export function repositoriesInside(dir: string): string[] {
  if (hasCourseLayout(dir)) return [];
  const inside = repositoryFolders(dir);
  return existsSync(path.join(dir, '.git')) && inside.length < 2 ? [] : inside;
}

/** The folders directly inside `dir` (not hidden ones) that look like repositories, by name. */
function repositoryFolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && looksLikeRepository(path.join(dir, entry.name)))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Why LAB_SUBMISSION as configured (`reference`, or a resolved path) cannot be verified, said before any service
 * starts: it is missing, or it is a folder of repositories. Undefined for the reference solution, a repository or a
 * steps file.
 */
export function submissionPathProblem(submission: string): string | undefined {
  if (submission === 'reference') return undefined;
  if (!existsSync(submission)) return `LAB_SUBMISSION=${submission} does not exist. Point it at a learner repository or a ${STEPS_FILE} file.`;
  const inside = statSync(submission).isDirectory() ? repositoriesInside(submission) : [];
  if (inside.length === 0) return undefined;
  return (
    `LAB_SUBMISSION=${submission} is a folder of repositories (${someNames(inside)}), not a repository: point it at one of them, ` +
    `or grade them all with npm run grade -- --many ${submission}.`
  );
}

/**
 * Whether `dir`, named as a folder of repositories (`--many`), is a single repository instead: it has a course
 * layout or a steps file, and none of its folders looks like a repository except those of its own layout (its
 * `backend-flask` with `bin/ddb` inside). A class folder kept in git is not taken for a repository.
 */
export function isOneRepository(dir: string): boolean {
  const layouts = LAYOUTS.filter((l) => existsSync(path.join(dir, l.cwd, l.dir)));
  if (layouts.length === 0 && !existsSync(path.join(dir, STEPS_FILE))) return false;
  const own = new Set(layouts.map((l) => path.join(l.cwd, l.dir).split('/')[0]));
  return repositoryFolders(dir).every((name) => own.has(name));
}
