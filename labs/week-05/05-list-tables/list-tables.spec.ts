import { randomBytes } from 'node:crypto';
import { LearnerFailure } from '../../../src/errors.ts';
import { listAllTables, mentionsName } from '../../../src/labkit/ddb-observe.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask } from '../../../src/labkit/lab-task.ts';
import { prepareWithReference } from '../../../src/labkit/prepare.ts';
import { createScratchTable } from '../../../src/labkit/scratch-table.ts';
import { stepProblem } from '../../../src/labkit/step-checks.ts';
import type { StepRun } from '../../../src/submission/types.ts';
import { TABLE } from '../02-create-table/lab.ts';
import { lab } from './lab.ts';

const context = useLab(lab, { reset: true });
/** A second table under a fresh name each run: a script that echoes fixed names cannot know it. */
const other = `cruddur-labs-${randomBytes(4).toString('hex')}`;

function listed(ctx: LabContext): Promise<{ run: StepRun; tables: string[] }> {
  return ctx.once('list-tables', async () => {
    await prepareWithReference(ctx, 'schema-load');
    await createScratchTable(ctx.ddb, other);
    const run = await ctx.perform('list-tables');
    return { run, tables: await listAllTables(ctx.ddb) };
  });
}

function check(run: StepRun, name: string, task: number, timeoutMs: number): string {
  const problem = stepProblem(run, timeoutMs);
  if (problem) throw new LearnerFailure(`${problem}\nSee ${readmeRef(lab, task)}.`);
  if (!mentionsName(run.stdout, name)) {
    throw new LearnerFailure(`\`${run.command}\` exited 0 but its output does not name \`${name}\`, which exists. See ${readmeRef(lab, task)}.`);
  }
  return `\`${run.command}\` names \`${name}\``;
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const { run, tables } = await listed(ctx);
  t.step(run);
  t.evidence('tables', tables);
  return check(run, TABLE, 1, ctx.config.stepTimeoutMs);
});

labTask(lab, 2, async () => {
  const ctx = await context();
  const { run } = await listed(ctx);
  return check(run, other, 2, ctx.config.stepTimeoutMs);
});
