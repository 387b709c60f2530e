import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isOneRepository, repositoriesInside, submissionPathProblem } from '../../../src/submission/layout.ts';
import { tempDir } from '../../grader/fixtures.ts';

function folder(entries: string[]): string {
  const root = tempDir('submission-path-');
  for (const entry of entries) {
    if (entry.endsWith('/')) mkdirSync(path.join(root, entry), { recursive: true });
    else {
      mkdirSync(path.dirname(path.join(root, entry)), { recursive: true });
      writeFileSync(path.join(root, entry), '{"steps": {}}\n');
    }
  }
  return root;
}

describe('submissionPathProblem', () => {
  it('takes a repository of any kind the grader knows, and a steps file', () => {
    for (const marker of ['.git/', 'backend-flask/bin/ddb/', 'bin/ddb/', 'cruddur-labs.json']) expect(submissionPathProblem(folder([marker])), marker).toBeUndefined();
    const steps = folder(['cruddur-labs.json']);
    expect(submissionPathProblem(path.join(steps, 'cruddur-labs.json'))).toBeUndefined();
    expect(submissionPathProblem('reference')).toBeUndefined();
  });

  it('takes an empty repository and a folder of other folders: they are graded, and fail what they miss', () => {
    expect(submissionPathProblem(folder([]))).toBeUndefined();
    expect(submissionPathProblem(folder(['notes/', 'backend-flask/lib/']))).toBeUndefined();
  });

  it('names a path that does not exist', () => {
    expect(submissionPathProblem('/no/such/repository')).toBe('LAB_SUBMISSION=/no/such/repository does not exist. Point it at a learner repository or a cruddur-labs.json file.');
  });

  it('names a folder of repositories, the first three by name, and what to do', () => {
    const root = folder(['erin/.git/', 'alice/.git/', 'bob/backend-flask/bin/ddb/', 'carol/cruddur-labs.json', 'dave/bin/ddb/', 'notes/', '.hidden/.git/']);
    expect(repositoriesInside(root)).toEqual(['alice', 'bob', 'carol', 'dave', 'erin']);
    expect(submissionPathProblem(root)).toBe(
      `LAB_SUBMISSION=${root} is a folder of repositories (alice, bob, carol, and 2 more), not a repository: point it at one of them, or grade them all with npm run grade -- --many ${root}.`,
    );
  });

  it('finds no repositories inside a repository, whatever its subfolders hold', () => {
    expect(repositoriesInside(folder(['.git/', 'vendor/lib/.git/']))).toEqual([]);
    // A repository with one other inside it (a submodule), and one of the course layout with several.
    expect(repositoriesInside(folder(['.git/', 'theme/.git/']))).toEqual([]);
    expect(repositoriesInside(folder(['.git/', 'backend-flask/bin/ddb/', 'theme/.git/', 'docs/.git/']))).toEqual([]);
  });

  it('names the repositories of a class folder kept in git', () => {
    const root = folder(['.git/', 'alice/.git/', 'bob/backend-flask/bin/ddb/', 'notes/']);
    expect(repositoriesInside(root)).toEqual(['alice', 'bob']);
    expect(submissionPathProblem(root)).toMatch(/is a folder of repositories \(alice, bob\), not a repository/);
  });
});

describe('isOneRepository (a folder named with --many)', () => {
  it('is true for a repository, whatever its own layout', () => {
    expect(isOneRepository(folder(['backend-flask/bin/ddb/', 'frontend-react-js/src/', 'docker-compose.yml']))).toBe(true);
    expect(isOneRepository(folder(['bin/ddb/', 'lib/']))).toBe(true);
    expect(isOneRepository(folder(['.git/', 'cruddur-labs.json', 'docs/']))).toBe(true);
  });

  it('is false for a class folder, also one kept in git, and for an empty folder', () => {
    expect(isOneRepository(folder(['alice/.git/', 'bob/.git/']))).toBe(false);
    expect(isOneRepository(folder(['.git/', 'alice/.git/', 'bob/backend-flask/bin/ddb/']))).toBe(false);
    // Its learners' repositories may hold nothing the grader knows (no layout, no git): still a class.
    expect(isOneRepository(folder(['.git/', 'alice/docker-compose.yml', 'bob/']))).toBe(false);
    expect(isOneRepository(folder([]))).toBe(false);
  });
});
