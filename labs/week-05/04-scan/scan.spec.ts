import { LearnerFailure } from '../../../src/errors.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask, type TaskRecorder } from '../../../src/labkit/lab-task.ts';
import { prepareWithReference } from '../../../src/labkit/prepare.ts';
import { putItems } from '../../../src/labkit/put-items.ts';
import { traced } from '../../../src/trace.ts';
import { stepProblem } from '../../../src/labkit/step-checks.ts';
import type { StepRun } from '../../../src/submission/types.ts';
import { TABLE } from '../02-create-table/lab.ts';
import { lab, LARGE_ITEM_BYTES, LARGE_ITEMS, SMALL_ITEMS } from './lab.ts';
import { markerItems, markersIn, markerToken } from './markers.ts';

const context = useLab(lab, { reset: true });
const token = markerToken();

interface Coverage {
  run: StepRun;
  printed: number;
  total: number;
}

async function scanCoverage(ctx: LabContext, total: number): Promise<Coverage> {
  const run = await ctx.perform('scan');
  return { run, printed: markersIn(run.stdout, token).size, total };
}

/** The table with SMALL_ITEMS marker items (one scan page), scanned by the learner. */
function small(ctx: LabContext): Promise<Coverage> {
  return ctx.once('small', async () => {
    await prepareWithReference(ctx, 'schema-load');
    await putItems(ctx.ddb, TABLE, markerItems(token, 0, SMALL_ITEMS, 200));
    return scanCoverage(ctx, SMALL_ITEMS);
  });
}

/** The same table grown past one 1 MB scan page, scanned again. */
function large(ctx: LabContext): Promise<Coverage> {
  return ctx.once('large', async () => {
    await small(ctx).catch(() => undefined);
    await traced('lab', `04-scan: ${LARGE_ITEMS} large items written`, () => putItems(ctx.ddb, TABLE, markerItems(token, SMALL_ITEMS, LARGE_ITEMS, LARGE_ITEM_BYTES)));
    return scanCoverage(ctx, SMALL_ITEMS + LARGE_ITEMS);
  });
}

function judge(t: TaskRecorder, c: Coverage, task: number, timeoutMs: number): string {
  t.step(c.run);
  t.evidence('coverage', { printed: c.printed, total: c.total });
  const problem = stepProblem(c.run, timeoutMs);
  if (problem) throw new LearnerFailure(`${problem}\nSee ${readmeRef(lab, task)}.`);
  if (c.printed < c.total) {
    const why =
      task === 2 && c.printed > 0
        ? ' One Scan call returns at most 1 MB of items: follow LastEvaluatedKey until it is absent.'
        : c.printed === 0
          ? ` Does it scan \`${TABLE}\` and print response['Items']?`
          : '';
    throw new LearnerFailure(`\`${c.run.command}\` printed ${c.printed} of ${c.total} items.${why} See ${readmeRef(lab, task)}.`);
  }
  return `\`${c.run.command}\` printed ${c.printed} of ${c.total} items`;
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  return judge(t, await small(ctx), 1, ctx.config.stepTimeoutMs);
});

labTask(lab, 2, async (t) => {
  const ctx = await context();
  return judge(t, await large(ctx), 2, ctx.config.stepTimeoutMs);
});
