// A setup file of the projects whose tests grade fixture repositories in temporary folders: after each test file,
// the folders it made are removed (a run left a dozen behind before).
import { afterAll } from 'vitest';
import { removeTempDirs } from '../grader/fixtures.ts';

afterAll(removeTempDirs);
