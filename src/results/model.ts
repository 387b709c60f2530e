import type { ServiceFacts } from '../services/types.ts';

/** Version of the results file format; bump on any incompatible change. */
export const RESULTS_VERSION = 1;

/** A JSON object (not null, not an array): what the readers of results and evidence check before reading fields. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `pass` and `fail` are verdicts on the learner's work; `error` means the suite could not verify
 * (a service did not start, the grader broke) and never costs the learner points.
 */
export type Status = 'pass' | 'fail' | 'error';

/** One learner step run during a task: the evidence the journal shows. */
export interface StepEvidence {
  step: string;
  command: string;
  exitCode: number | null;
  durationMs: number;
  /** CPU time of the learner's process tree, where it was measured (in the sandbox). */
  cpuMs?: number;
  timedOut: boolean;
  /** Trimmed output (head and tail) of stdout and stderr. */
  output: string;
}

/** How learner code ran: in namespaces (and which), or not sandboxed and why. */
export interface SandboxReport {
  mode: 'namespaces' | 'none';
  /** What the sandbox gave learner code: tool, network, uid, limits. */
  detail?: string;
  /** Why there was no sandbox. */
  reason?: string;
}

export interface TaskResult {
  /** `<lab id>/<task number>`, e.g. `03-seed/2`. */
  task_id: string;
  lab: string;
  name: string;
  status: Status;
  score: number;
  max_score: number;
  /** What was verified, or what to fix (with a pointer to the lab README). */
  message: string;
  /** Captured, capped output of the learner's command(s) for this task. */
  output: string;
  hint?: string;
  /** Structured evidence for the journal: steps run and facts observed (table schema, counts, ...). */
  evidence?: Record<string, unknown>;
  duration_ms?: number;
}

export interface LabSummary {
  id: string;
  title: string;
  status: Status;
  score: number;
  max_score: number;
}

export interface RunResults {
  version: typeof RESULTS_VERSION;
  status: Status;
  score: number;
  max_score: number;
  started_at: string;
  finished_at: string;
  backend: string;
  services: ServiceFacts | null;
  /** Who performed the steps: `reference` or a description of the learner submission. */
  submission: { kind: 'reference' | 'repository' | 'steps-file'; path?: string; commit?: string };
  environment: { node: string; platform: string; sandbox?: SandboxReport };
  /** A message for the whole run when it broke before or around the tasks. */
  message?: string;
  labs: LabSummary[];
  tests: TaskResult[];
}

/** The run's status: error if anything could not be verified, else fail if any task failed, else pass. */
export function overallStatus(statuses: Status[]): Status {
  if (statuses.length === 0 || statuses.includes('error')) return 'error';
  return statuses.includes('fail') ? 'fail' : 'pass';
}

/**
 * A run's status over the tasks that carry points; tasks worth nothing (evidence, such as a
 * screenshot) are reported per task and per lab but do not decide the run. With no scored task, all count.
 */
export function runStatus(tests: Array<Pick<TaskResult, 'status' | 'max_score'>>): Status {
  const scored = tests.filter((t) => t.max_score > 0);
  return overallStatus((scored.length > 0 ? scored : tests).map((t) => t.status));
}

export function summarizeLabs(tests: TaskResult[], titles: Record<string, string>): LabSummary[] {
  const byLab = new Map<string, TaskResult[]>();
  for (const test of tests) byLab.set(test.lab, [...(byLab.get(test.lab) ?? []), test]);
  return [...byLab.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, tasks]) => ({
      id,
      title: titles[id] ?? id,
      status: overallStatus(tasks.map((t) => t.status)),
      score: tasks.reduce((sum, t) => sum + t.score, 0),
      max_score: tasks.reduce((sum, t) => sum + t.max_score, 0),
    }));
}

/** Tasks in the order every report lists them: by lab, then by task number. */
export function compareTasks(a: TaskResult, b: TaskResult): number {
  return a.lab.localeCompare(b.lab) || Number(a.task_id.split('/')[1]) - Number(b.task_id.split('/')[1]);
}

/** What a run's tasks add up to: its status, its points and its per-lab summaries, the tasks in report order. */
export function tallyTasks(tests: TaskResult[], titles: Record<string, string>): Pick<RunResults, 'status' | 'score' | 'max_score' | 'labs' | 'tests'> {
  const sorted = [...tests].sort(compareTasks);
  return {
    status: runStatus(sorted),
    score: sorted.reduce((sum, t) => sum + t.score, 0),
    max_score: sorted.reduce((sum, t) => sum + t.max_score, 0),
    labs: summarizeLabs(sorted, titles),
    tests: sorted,
  };
}

/** The run's totals and per-lab summaries made again after its tasks changed (a lab graded once more). */
export function withTasks(results: RunResults, tests: TaskResult[]): RunResults {
  return { ...results, ...tallyTasks(tests, Object.fromEntries(results.labs.map((lab) => [lab.id, lab.title]))) };
}
