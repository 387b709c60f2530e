import { describe, expect, it } from 'vitest';
import { errorResults } from '../../../src/grader/error-results.ts';
import { defineLab } from '../../../src/labkit/define-lab.ts';
import { buildResults, unverifiedTask } from '../../../src/results/build-results.ts';
import type { TaskResult } from '../../../src/results/model.ts';

const done = (task_id: string, status: TaskResult['status'], points = 2): TaskResult => ({
  task_id,
  lab: task_id.split('/')[0] ?? '',
  name: task_id,
  status,
  score: status === 'pass' ? points : 0,
  max_score: points,
  message: '',
  output: '',
});

describe('the results builder', () => {
  it('orders the tasks, adds up points and labs, and records the run', () => {
    const started = new Date('2026-12-03T10:00:00Z');
    const results = buildResults([done('02-b/1', 'fail'), done('01-a/2', 'pass'), done('01-a/1', 'pass')], { '01-a': 'First', '02-b': 'Second' }, {
      startedAt: started,
      finishedAt: new Date('2026-12-03T10:00:05Z'),
      services: null,
      submission: { kind: 'repository', path: '/class/ada' },
      sandbox: { mode: 'none', reason: 'turned off' },
    });
    expect(results.tests.map((t) => t.task_id)).toEqual(['01-a/1', '01-a/2', '02-b/1']);
    expect(results).toMatchObject({ status: 'fail', score: 4, max_score: 6, backend: 'none', started_at: '2026-12-03T10:00:00.000Z', finished_at: '2026-12-03T10:00:05.000Z' });
    expect(results.labs).toEqual([
      { id: '01-a', title: 'First', status: 'pass', score: 4, max_score: 4 },
      { id: '02-b', title: 'Second', status: 'fail', score: 0, max_score: 2 },
    ]);
    expect(results.environment.sandbox).toEqual({ mode: 'none', reason: 'turned off' });
    expect(results).not.toHaveProperty('message');
  });

  it('makes an unverified task an error worth nothing, with the reason, that keeps its points as the maximum', () => {
    expect(unverifiedTask({ task_id: '03-c/2', lab: '03-c', name: 'Seed', points: 3, hint: 'Run it.' }, 'Postgres did not start')).toEqual({
      task_id: '03-c/2',
      lab: '03-c',
      name: 'Seed',
      status: 'error',
      score: 0,
      max_score: 3,
      message: 'Not verified: Postgres did not start',
      output: '',
      hint: 'Run it.',
    });
  });

  it('gives a repository that could not be graded every task of its labs as not verified, and the reason', () => {
    const lab = defineLab({ id: '01-a', title: 'First', readme: 'labs/x/01-a/README.md', steps: ['seed'], tasks: { 1: { name: 'one', points: 1, hint: 'h1' }, 2: { name: 'two', points: 2, hint: 'h2' } } });
    const results = errorResults([lab], 'the grading worker stopped', { kind: 'repository', path: '/class/bob' });
    expect(results).toMatchObject({ status: 'error', score: 0, max_score: 3, services: null, message: 'the grading worker stopped', submission: { path: '/class/bob' } });
    expect(results.tests.map((t) => [t.task_id, t.status, t.message])).toEqual([
      ['01-a/1', 'error', 'Not verified: the grading worker stopped'],
      ['01-a/2', 'error', 'Not verified: the grading worker stopped'],
    ]);
    expect(results.labs).toEqual([{ id: '01-a', title: 'First', status: 'error', score: 0, max_score: 3 }]);
  });
});
