import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { COURSE_GROUP_UUID, CONVERSATION_LIMIT, isMissingIndex, queryGroupIndex } from '../../../src/course/access-patterns.ts';
import { awsErrorName, errorMessage, LearnerFailure } from '../../../src/errors.ts';
import { describeTable, listAllTables, nearMisses, type Item } from '../../../src/labkit/ddb-observe.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask, type TaskRecorder } from '../../../src/labkit/lab-task.ts';
import { prepareWithReference } from '../../../src/labkit/prepare.ts';
import { putItems } from '../../../src/labkit/put-items.ts';
import { resetDynamoDb } from '../../../src/labkit/reset.ts';
import { stepProblem } from '../../../src/labkit/step-checks.ts';
import type { StepName, StepRun } from '../../../src/submission/types.ts';
import { lab as createTableLab, GSI, TABLE } from '../02-create-table/lab.ts';
import { lab } from './lab.ts';
import { markersIn, markerToken, type FoundMarkers } from './markers.ts';
import { buildPatternPlan, HISTORY_YEARS, OTHER_MESSAGES, THIS_YEAR_MESSAGES, type PatternPlan } from './pattern-data.ts';
import { conversationProblems, crashHint, groupsProblems, printedOwners, tableProblem } from './verdicts.ts';

const context = useLab(lab, { reset: true });

/** The handle the course's list-conversations looks up. */
const COURSE_HANDLE = 'andrewbrown';

interface Prepared {
  plan: PatternPlan;
  schemaLoad?: StepRun;
  /** Why the lab put the reference's table in place of the learner's; undefined when the learner's is used. */
  replaced?: string;
}

/**
 * The table and the lab's data, once for all tasks. The learner's own schema-load runs first, because task 3
 * tests its GSI; when it leaves no usable table (or one that will not take the items), the lab empties
 * DynamoDB (it holds only what that schema-load made) and creates the table with the reference, so that
 * tasks 1 and 2 still test the pattern scripts.
 */
function prepared(ctx: LabContext): Promise<Prepared> {
  return ctx.once('prepare', async () => {
    const plan = buildPatternPlan({ users: ctx.users, now: new Date(), token: markerToken(), groupUuid: COURSE_GROUP_UUID });
    let schemaLoad: StepRun | undefined;
    let replaced: string | undefined;
    if (ctx.submission.has('schema-load')) {
      schemaLoad = await ctx.perform('schema-load');
      replaced = await learnerTableProblem(ctx, schemaLoad);
    } else {
      replaced = ctx.submission.missingReason('schema-load');
    }
    if (replaced === undefined) {
      try {
        await putItems(ctx.ddb, TABLE, plan.items);
        return { plan, schemaLoad };
      } catch (error) {
        replaced = `the lab could not write its items into \`${TABLE}\`: ${errorMessage(error)}`;
      }
    }
    await resetDynamoDb(ctx.ddb, ctx.services);
    await prepareWithReference(ctx, 'schema-load');
    await putItems(ctx.ddb, TABLE, plan.items);
    return { plan, ...(schemaLoad ? { schemaLoad } : {}), replaced };
  });
}

async function learnerTableProblem(ctx: LabContext, run: StepRun): Promise<string | undefined> {
  const problem = tableProblem(await describeTable(ctx.ddb, TABLE));
  if (problem === undefined) return undefined;
  const typos = nearMisses(await listAllTables(ctx.ddb), TABLE);
  if (typos.length > 0) return `${problem}: \`${run.command}\` created ${typos.map((n) => `\`${n}\``).join(', ')} instead`;
  const failed = stepProblem(run, ctx.config.stepTimeoutMs);
  return failed ? `${problem}: ${failed}` : `${problem} after \`${run.command}\``;
}

/**
 * The first argument a pattern script gets: the group uuid for get-conversation, the handle for
 * list-conversations. Some learners' scripts require it and stop with a usage line without it; the course's
 * scripts ignore a first argument that does not contain `prod`, so giving it is safe for both.
 */
function patternArgs(ctx: LabContext, step: StepName, plan: PatternPlan): string[] {
  if (step === 'get-conversation') return [plan.groupUuid];
  const handle = ctx.users.find((u) => u.handle === COURSE_HANDLE)?.handle ?? ctx.users[0]?.handle;
  return handle && !handle.includes('prod') ? [handle] : [];
}

function runPattern(ctx: LabContext, step: StepName): Promise<StepRun> {
  return ctx.once(step, async () => {
    const { plan } = await prepared(ctx);
    return ctx.perform(step, patternArgs(ctx, step, plan));
  });
}

/** Fails the task when the script did not run to a clean exit, with the likely cause of a known crash. */
function assertRan(ctx: LabContext, run: StepRun, plan: PatternPlan, task: number): void {
  const problem = stepProblem(run, ctx.config.stepTimeoutMs);
  if (!problem) return;
  const hint = crashHint(`${run.stderr}\n${run.stdout}`, plan.owners.map((o) => o.handle));
  throw new LearnerFailure(`${problem}${hint ? `\n${hint}` : ''}\nSee ${readmeRef(lab, task)}.`);
}

function sorted(set: Set<number>): number[] {
  return [...set].sort((a, b) => a - b);
}

/** What the lab stored for get-conversation (task 1) or list-conversations (task 2) to find. */
function recordStored(t: TaskRecorder, p: Prepared, task: 1 | 2): void {
  const { plan } = p;
  const table = p.replaced ? 'created by the reference (see task 3)' : "created by the learner's schema-load";
  const stored =
    task === 1
      ? {
          table,
          group: plan.groupUuid,
          thisYear: { year: plan.year, messages: THIS_YEAR_MESSAGES },
          earlierYears: { years: [...new Set(plan.historyYears)], messages: plan.historyYears.length },
          otherGroup: { uuid: plan.otherGroupUuid, year: plan.otherYear, messages: OTHER_MESSAGES },
        }
      : { table, groupItems: plan.owners.map((o) => `GRP#${o.uuid} (${o.handle}): one from ${plan.year}, one from ${plan.otherYear}`) };
  t.evidence('stored', stored);
}

function recordPrinted(t: TaskRecorder, found: FoundMarkers): void {
  t.evidence(
    'printed',
    Object.fromEntries(Object.entries(found).filter(([, set]) => set.size > 0).map(([kind, set]) => [kind, sorted(set)])),
  );
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const p = await prepared(ctx);
  const { plan } = p;
  const run = await runPattern(ctx, 'get-conversation');
  t.step(run);
  recordStored(t, p, 1);
  const found = markersIn(run.stdout, plan.token);
  recordPrinted(t, found);
  assertRan(ctx, run, plan, 1);
  const problems = conversationProblems(found, plan);
  if (problems.length > 0) throw new LearnerFailure(`\`${run.command}\` exited 0, but its output is wrong. ${problems.join(' ')}\nSee ${readmeRef(lab, 1)}.`);
  return (
    `\`${run.command}\` printed the newest ${CONVERSATION_LIMIT} of the ${THIS_YEAR_MESSAGES} messages of ${plan.year} in group ${plan.groupUuid}, ` +
    `and none of the older ones or of the ${HISTORY_YEARS} earlier years`
  );
});

labTask(lab, 2, async (t) => {
  const ctx = await context();
  const p = await prepared(ctx);
  const { plan } = p;
  const run = await runPattern(ctx, 'list-conversations');
  t.step(run);
  recordStored(t, p, 2);
  const found = markersIn(run.stdout, plan.token);
  recordPrinted(t, found);
  assertRan(ctx, run, plan, 2);
  const problems = groupsProblems(found, plan);
  if (problems.length > 0) throw new LearnerFailure(`\`${run.command}\` exited 0, but its output is wrong. ${problems.join(' ')}\nSee ${readmeRef(lab, 2)}.`);
  return `\`${run.command}\` printed the ${plan.year} message group of ${printedOwners(found, plan).join(', ')} and not the one from ${plan.otherYear}`;
});

labTask(lab, 3, async (t) => {
  const ctx = await context();
  const p = await prepared(ctx);
  const { plan } = p;
  if (p.schemaLoad) t.step(p.schemaLoad);
  const see = `See ${readmeRef(lab, 3)} and ${readmeRef(createTableLab, 3)}.`;
  if (p.replaced) {
    throw new LearnerFailure(
      `Your schema-load left no usable table, so your GSI \`${GSI}\` could not be checked (the lab created \`${TABLE}\` with the ` +
        `reference schema so that tasks 1 and 2 could run): ${p.replaced}\n${see}`,
    );
  }
  const table = await describeTable(ctx.ddb, TABLE);
  const indexes = (table?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName);
  t.evidence('indexes', (table?.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName, keySchema: g.KeySchema, projection: g.Projection?.ProjectionType })));
  let items: Item[];
  try {
    items = (await queryGroupIndex((input) => ctx.ddb.send(new QueryCommand(input)), TABLE, plan.groupUuid)).map((item) => unmarshall(item));
  } catch (error) {
    if (isMissingIndex(error)) {
      const found = indexes.length > 0 ? `it has ${indexes.map((n) => `\`${n}\``).join(', ')}` : 'it has no GSI at all';
      throw new LearnerFailure(
        `\`${TABLE}\` has no GSI \`${GSI}\` (${found}). Lab 02 accepts a table without it, but this access pattern needs it: ` +
          `add it to schema-load, keyed message_group_uuid (HASH) + sk (RANGE), projection ALL. ${see}`,
      );
    }
    if (awsErrorName(error) === 'ValidationException') {
      throw new LearnerFailure(
        `Querying \`${GSI}\` by message_group_uuid failed: ${errorMessage(error)}. The index must be keyed message_group_uuid (HASH) + sk (RANGE). ${see}`,
      );
    }
    throw error;
  }
  t.evidence(
    'answered',
    items.map((i) => ({ pk: i.pk, sk: i.sk, message_group_uuid: i.message_group_uuid, message: typeof i.message === 'string' ? i.message.slice(0, 40) : i.message })),
  );
  const found = markersIn(items.map((i) => JSON.stringify(i)).join('\n'), plan.token);
  const expected = plan.owners.length;
  if (items.length > 0 && items.every((i) => i.message === undefined)) {
    throw new LearnerFailure(
      `\`${GSI}\` returned ${items.length} item(s) with only their keys (no message, no user fields): its projection must be ALL. ${see}`,
    );
  }
  if (found['group-now'].size !== expected || items.length !== expected) {
    throw new LearnerFailure(
      `Querying \`${GSI}\` for message_group_uuid ${plan.groupUuid} returned ${items.length} item(s), ${found['group-now'].size} of them ` +
        `the ${expected} message group item(s) the lab stored for that group (one per Postgres user). The index must be keyed ` +
        `message_group_uuid (HASH) + sk (RANGE) with projection ALL. ${see}`,
    );
  }
  return `\`${GSI}\` answered a query by message_group_uuid with the ${expected} message group items of group ${plan.groupUuid}, every attribute included`;
});
