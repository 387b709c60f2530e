import type { LabDefinition } from '../labkit/define-lab.ts';
import { RESULTS_VERSION, summarizeLabs, type RunResults, type TaskResult } from '../results/model.ts';

/** A results file for a repository that could not be graded at all: every task `error`, with the reason. */
export function errorResults(labs: readonly LabDefinition[], message: string, submission: RunResults['submission']): RunResults {
  const now = new Date().toISOString();
  const tests: TaskResult[] = labs.flatMap((lab) =>
    Object.entries(lab.tasks).map(([n, def]) => ({
      task_id: `${lab.id}/${n}`,
      lab: lab.id,
      name: def.name,
      status: 'error' as const,
      score: 0,
      max_score: def.points,
      message: `Not verified: ${message}`,
      output: '',
      hint: def.hint,
    })),
  );
  return {
    version: RESULTS_VERSION,
    status: 'error',
    score: 0,
    max_score: tests.reduce((sum, t) => sum + t.max_score, 0),
    started_at: now,
    finished_at: now,
    backend: 'none',
    services: null,
    submission,
    environment: { node: process.version, platform: `${process.platform}-${process.arch}` },
    message,
    labs: summarizeLabs(tests, Object.fromEntries(labs.map((l) => [l.id, l.title]))),
    tests,
  };
}
