import type { RunResults } from '../results/model.ts';

/** Points as people write them: `3`, `2.5`, `0.33` (at most two decimals, no trailing zeros). */
export function formatPoints(points: number): string {
  return String(Math.round(points * 100) / 100);
}

/** Milliseconds as seconds with millisecond precision, the unit JUnit and Gradescope use. */
export function msToSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/**
 * Wall-clock duration of the run from its timestamps; falls back to the sum of task durations when the
 * timestamps are missing or unparsable.
 */
export function runDurationMs(results: RunResults): number {
  const started = Date.parse(results.started_at);
  const finished = Date.parse(results.finished_at);
  if (Number.isFinite(started) && Number.isFinite(finished) && finished >= started) return finished - started;
  return results.tests.reduce((sum, t) => sum + (t.duration_ms ?? 0), 0);
}
