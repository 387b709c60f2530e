import { test } from 'vitest';
import { errorMessage, LabError, ToolUnavailable } from '../errors.ts';
import type { StepEvidence } from '../results/model.ts';
import type { StepRun } from '../submission/types.ts';
import { taskId, type LabDefinition } from './define-lab.ts';
import type { LabTaskMeta } from './meta.ts';
import { trimOutput } from './trim.ts';

/** Lets a task record evidence for the results and the journal. */
export interface TaskRecorder {
  /** Records a structured fact (table schema, counts, ...). */
  evidence(key: string, value: unknown): void;
  /** Records a learner step's command and trimmed output. */
  step(run: StepRun): void;
}

const TASK_TIMEOUT_MS = 10 * 60_000;

/**
 * Declares task `n` of a lab as a vitest test. The body returns what it verified (the pass message) or
 * throws: a learner's fault (LearnerFailure) makes the task `fail`; anything else makes it `error`.
 */
export function labTask(lab: LabDefinition, n: number, body: (t: TaskRecorder) => Promise<string>): void {
  const def = lab.tasks[n];
  if (!def) throw new Error(`Lab ${lab.id} has no task ${n}.`);
  const id = taskId(lab, n);
  const identity = { task_id: id, lab: lab.id, name: def.name, points: def.points, hint: def.hint };
  // Declared with the test, so that the reporter knows the task of a test that was skipped and never ran.
  test(`${id} ${def.name}`, { timeout: TASK_TIMEOUT_MS, meta: { labTask: identity } }, async (context) => {
    const meta: LabTaskMeta = { ...identity, evidence: {} };
    context.task.meta.labTask = meta;
    const outputs: string[] = [];
    const recorder: TaskRecorder = {
      evidence: (key, value) => {
        meta.evidence = { ...meta.evidence, [key]: value };
      },
      step: (run) => {
        const steps = (meta.evidence?.steps as unknown[] | undefined) ?? [];
        const output = trimOutput([run.stdout, run.stderr].filter(Boolean).join('\n'));
        const evidence: StepEvidence = {
          step: run.step,
          command: run.command,
          exitCode: run.exitCode,
          durationMs: run.durationMs,
          ...(run.cpuMs !== undefined ? { cpuMs: run.cpuMs } : {}),
          timedOut: run.timedOut,
          output,
        };
        recorder.evidence('steps', [...steps, evidence]);
        outputs.push(`$ ${run.command}\n${output}`);
        meta.output = trimOutput(outputs.join('\n'), 8_000);
      },
    };
    try {
      meta.message = await body(recorder);
      meta.status = 'pass';
    } catch (error) {
      meta.status = error instanceof LabError && error.fault === 'learner' ? 'fail' : 'error';
      meta.message = errorMessage(error);
      if (error instanceof ToolUnavailable) {
        context.skip(meta.message);
        return;
      }
      throw error;
    }
  });
}
