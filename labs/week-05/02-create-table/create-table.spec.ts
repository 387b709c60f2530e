import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { LearnerFailure } from '../../../src/errors.ts';
import { describeTable, listAllTables, nearMisses } from '../../../src/labkit/ddb-observe.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask } from '../../../src/labkit/lab-task.ts';
import { assertStepSucceeded } from '../../../src/labkit/step-checks.ts';
import type { StepRun } from '../../../src/submission/types.ts';
import { GSI, lab, TABLE } from './lab.ts';

const context = useLab(lab, { reset: true });

async function schemaLoad(ctx: LabContext): Promise<StepRun> {
  return ctx.once('schema-load', () => ctx.perform('schema-load'));
}

/** The table after the learner's schema-load, or a failure that says why there is none. */
async function learnerTable(ctx: LabContext, task: number): Promise<TableDescription> {
  await schemaLoad(ctx);
  const table = await describeTable(ctx.ddb, TABLE);
  if (!table) throw new LearnerFailure(`There is no table \`${TABLE}\` to check (see task 1). See ${readmeRef(lab, task)}.`);
  return table;
}

function keyOf(table: { KeySchema?: Array<{ AttributeName?: string; KeyType?: string }> }, type: 'HASH' | 'RANGE'): string | undefined {
  return table.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const run = await schemaLoad(ctx);
  t.step(run);
  const tables = await listAllTables(ctx.ddb);
  t.evidence('tables', tables);
  const table = tables.includes(TABLE);
  if (!table) {
    const typos = nearMisses(tables, TABLE);
    if (typos.length > 0) {
      throw new LearnerFailure(
        `schema-load created ${typos.map((n) => `\`${n}\``).join(', ')}, not \`${TABLE}\`. The name must be exactly \`${TABLE}\` ` +
          `in schema-load and in every other script. See ${readmeRef(lab, 1)}.`,
      );
    }
    assertStepSucceeded(run, readmeRef(lab, 1), ctx.config.stepTimeoutMs);
    const others = tables.length ? ` (tables found: ${tables.join(', ')})` : ' (no table at all)';
    throw new LearnerFailure(`\`${run.command}\` exited 0 but created no table \`${TABLE}\`${others}. See ${readmeRef(lab, 1)}.`);
  }
  assertStepSucceeded(run, readmeRef(lab, 1), ctx.config.stepTimeoutMs);
  return `\`${run.command}\` created \`${TABLE}\``;
});

labTask(lab, 2, async (t) => {
  const ctx = await context();
  const table = await learnerTable(ctx, 2);
  const attributes = Object.fromEntries((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  t.evidence('table', {
    name: table.TableName,
    status: table.TableStatus,
    keySchema: table.KeySchema,
    attributes,
    billingMode: table.BillingModeSummary?.BillingMode ?? 'PROVISIONED',
    provisioned: table.ProvisionedThroughput
      ? { read: table.ProvisionedThroughput.ReadCapacityUnits, write: table.ProvisionedThroughput.WriteCapacityUnits }
      : undefined,
    indexes: (table.GlobalSecondaryIndexes ?? []).map((g) => ({ name: g.IndexName, keySchema: g.KeySchema, projection: g.Projection?.ProjectionType })),
  });
  const hash = keyOf(table, 'HASH');
  const range = keyOf(table, 'RANGE');
  const problems: string[] = [];
  if (table.TableStatus !== 'ACTIVE') problems.push(`status is ${table.TableStatus}, not ACTIVE`);
  if (hash !== 'pk') problems.push(`partition (HASH) key is ${hash ?? 'missing'}, expected pk`);
  if (range !== 'sk') problems.push(`sort (RANGE) key is ${range ?? 'missing'}, expected sk`);
  if (hash === 'pk' && attributes.pk !== 'S') problems.push(`pk is of type ${attributes.pk}, expected S (string)`);
  if (range === 'sk' && attributes.sk !== 'S') problems.push(`sk is of type ${attributes.sk}, expected S (string)`);
  if (problems.length > 0) {
    const found = (table.KeySchema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ');
    throw new LearnerFailure(`Table \`${TABLE}\`: ${problems.join('; ')} (found: ${found}). See ${readmeRef(lab, 2)}.`);
  }
  return `\`${TABLE}\` is ACTIVE with pk (HASH, S) and sk (RANGE, S)`;
});

labTask(lab, 3, async () => {
  const ctx = await context();
  const table = await learnerTable(ctx, 3);
  const billing = table.BillingModeSummary?.BillingMode === 'PAY_PER_REQUEST' ? 'on-demand billing (accepted variant)' : 'PROVISIONED billing';
  const indexes = table.GlobalSecondaryIndexes ?? [];
  const gsi = indexes.find((g) => g.IndexName === GSI);
  if (!gsi) {
    const others = indexes.map((g) => g.IndexName);
    if (others.length > 0) {
      throw new LearnerFailure(
        `\`${TABLE}\` has the index ${others.map((n) => `\`${n}\``).join(', ')} but not \`${GSI}\`, the name the course's code queries. See ${readmeRef(lab, 3)}.`,
      );
    }
    return `no GSI \`${GSI}\` (accepted variant: lab 07's GSI query needs it); ${billing}`;
  }
  const attributes = Object.fromEntries((table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  const problems: string[] = [];
  if (keyOf(gsi, 'HASH') !== 'message_group_uuid') problems.push(`its HASH key is ${keyOf(gsi, 'HASH') ?? 'missing'}, expected message_group_uuid`);
  if (keyOf(gsi, 'RANGE') !== 'sk') problems.push(`its RANGE key is ${keyOf(gsi, 'RANGE') ?? 'missing'}, expected sk`);
  if (attributes.message_group_uuid !== undefined && attributes.message_group_uuid !== 'S') problems.push('message_group_uuid must be of type S');
  if (gsi.Projection?.ProjectionType !== 'ALL') problems.push(`its projection is ${gsi.Projection?.ProjectionType ?? 'missing'}, expected ALL`);
  if (problems.length > 0) throw new LearnerFailure(`GSI \`${GSI}\`: ${problems.join('; ')}. See ${readmeRef(lab, 3)}.`);
  return `GSI \`${GSI}\` is keyed message_group_uuid (HASH) + sk (RANGE), projection ALL; ${billing}`;
});
