import { ServiceError } from '../errors.ts';
import type { StepName } from '../submission/types.ts';
import type { LabContext } from './lab-context.ts';
import { stepProblem } from './step-checks.ts';

/**
 * Runs a step with the reference solution to create a lab's preconditions, so one broken learner step
 * never fails the next lab. If the reference itself fails, the lab could not be verified (error).
 */
export async function prepareWithReference(ctx: LabContext, step: StepName, args: string[] = []): Promise<void> {
  const run = await ctx.reference.perform(step, ctx.stepServices, args, step === 'seed' ? seedHandles(ctx) : {});
  const problem = stepProblem(run);
  if (problem) throw new ServiceError(`Preparing lab ${ctx.lab.id} with the reference solution failed: ${problem}`);
}

/**
 * The two users the reference seed writes a conversation between: the course's pair when Postgres has them,
 * else the first two users (a learner's own seed.sql may use other handles).
 */
function seedHandles(ctx: LabContext): Record<string, string> {
  const handles = ctx.users.map((u) => u.handle);
  if (handles.includes('andrewbrown') && handles.includes('bayko')) return {};
  const [me, other] = handles;
  return me && other ? { SEED_MY_HANDLE: me, SEED_OTHER_HANDLE: other } : {};
}
