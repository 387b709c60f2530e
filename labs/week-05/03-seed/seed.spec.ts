import { LearnerFailure } from '../../../src/errors.ts';
import { listAllTables, nearMisses, scanAll, type Item } from '../../../src/labkit/ddb-observe.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask } from '../../../src/labkit/lab-task.ts';
import { prepareWithReference } from '../../../src/labkit/prepare.ts';
import { stepProblem } from '../../../src/labkit/step-checks.ts';
import type { StepRun } from '../../../src/submission/types.ts';
import type { UserRow } from '../../../src/course/users.ts';
import { TABLE } from '../02-create-table/lab.ts';
import { FUTURE_TOLERANCE_MS, lab, MIN_MESSAGES } from './lab.ts';
import { isIsoTimestamp, isUuid, splitItems } from './seed-shape.ts';

const context = useLab(lab, { reset: true });

interface Seeded {
  run: StepRun;
  items: Item[];
  groups: Item[];
  messages: Item[];
}

/** schema-load by the reference, then the learner's seed, once for all tasks. */
function seeded(ctx: LabContext): Promise<Seeded> {
  return ctx.once('seed', async () => {
    await prepareWithReference(ctx, 'schema-load');
    const run = await ctx.perform('seed');
    const items = (await scanAll(ctx.ddb, TABLE)) ?? [];
    return { run, items, ...splitItems(items) };
  });
}

/** Fails the dependent tasks with one clear reason when the seed wrote nothing. */
function requireItems(s: Seeded, task: number): void {
  if (s.items.length === 0) throw new LearnerFailure(`The seed wrote no items into \`${TABLE}\`, so there is nothing to check (see task 1). See ${readmeRef(lab, task)}.`);
}

function usersText(users: UserRow[]): string {
  return users.map((u) => `${u.handle} (${u.display_name}, ${u.uuid})`).join(', ');
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const s = await seeded(ctx);
  t.step(s.run);
  // Where the Postgres users came from: the repository's own SQL files (as its scripts load them) or the course's.
  t.evidence('usersFrom', ctx.submission.database?.shown ?? ["the course's users (no schema.sql in the repository)"]);
  if (ctx.postgresNotes.length > 0) t.evidence('postgresNotes', ctx.postgresNotes);
  t.evidence('users', ctx.users);
  t.evidence('counts', { items: s.items.length, groups: s.groups.length, messages: s.messages.length });
  t.evidence('firstMessages', s.messages.slice(0, 5).map((m) => ({ sk: m.sk, user_handle: m.user_handle, message: m.message })));
  const problem = stepProblem(s.run, ctx.config.stepTimeoutMs);
  if (problem) {
    const handleHint = /NoneType|not subscriptable/.test(s.run.stderr)
      ? `\nA lookup found no user: the handles in Postgres are ${ctx.users.map((u) => u.handle).join(', ')}; check the handles the seed asks for and CONNECTION_URL.`
      : '';
    throw new LearnerFailure(`${problem}${handleHint}\nSee ${readmeRef(lab, 1)}.`);
  }
  if (s.items.length === 0) {
    const elsewhere = nearMisses(await listAllTables(ctx.ddb), TABLE);
    const where = elsewhere.length ? ` It wrote to ${elsewhere.map((n) => `\`${n}\``).join(', ')}? The table name must be exactly \`${TABLE}\`.` : ' Is there an early exit() or a loop that never runs?';
    throw new LearnerFailure(`\`${s.run.command}\` exited 0 but wrote no items into \`${TABLE}\`.${where} See ${readmeRef(lab, 1)}.`);
  }
  return `\`${s.run.command}\` wrote ${s.items.length} items (${s.groups.length} message groups, ${s.messages.length} messages)`;
});

labTask(lab, 2, async () => {
  const ctx = await context();
  const s = await seeded(ctx);
  requireItems(s, 2);
  if (s.groups.length !== 2) {
    throw new LearnerFailure(`Expected 2 message-group items (pk GRP#<user uuid>), one per participant; found ${s.groups.length}. See ${readmeRef(lab, 2)}.`);
  }
  const [a, b] = s.groups as [Item, Item];
  const problems: string[] = [];
  if (a.pk === b.pk) problems.push(`both group items have pk ${String(a.pk)}; each participant needs their own`);
  if (!a.message_group_uuid || a.message_group_uuid !== b.message_group_uuid) {
    problems.push(`the two group items must share one message_group_uuid (found ${String(a.message_group_uuid)} and ${String(b.message_group_uuid)})`);
  }
  for (const [group, other] of [[a, b], [b, a]] as const) {
    const owner = String(group.pk).slice('GRP#'.length);
    const otherOwner = String(other.pk).slice('GRP#'.length);
    if (group.user_uuid === owner) problems.push(`group ${String(group.pk)} describes its own owner; it must hold the other participant's user_uuid (${otherOwner})`);
    else if (group.user_uuid !== otherOwner) problems.push(`group ${String(group.pk)} has user_uuid ${String(group.user_uuid)}, expected the other participant ${otherOwner}`);
    if (!isIsoTimestamp(group.sk)) problems.push(`group ${String(group.pk)} has sk ${JSON.stringify(group.sk)}, expected an ISO-8601 time`);
  }
  if (problems.length > 0) throw new LearnerFailure(`Message groups: ${problems.join('; ')}. See ${readmeRef(lab, 2)}.`);
  return `2 message groups share message_group_uuid ${String(a.message_group_uuid)}, each naming the other participant`;
});

labTask(lab, 3, async () => {
  const ctx = await context();
  const s = await seeded(ctx);
  requireItems(s, 3);
  const m = s.messages;
  if (m.length < MIN_MESSAGES) {
    throw new LearnerFailure(
      `Only ${m.length} message item(s) (pk MSG#...): a conversation needs at least ${MIN_MESSAGES} (the course seeds 104). ` +
        `Is put_item inside the loop over the conversation? See ${readmeRef(lab, 3)}.`,
    );
  }
  const group = s.groups[0]?.message_group_uuid;
  const pks = new Set(m.map((x) => x.pk));
  const problems: string[] = [];
  if (group !== undefined && !(pks.size === 1 && pks.has(`MSG#${String(group)}`))) {
    problems.push(`messages must have pk MSG#${String(group)} (the groups' message_group_uuid); found ${[...pks].slice(0, 3).join(', ')}`);
  } else if (pks.size !== 1) problems.push(`messages are spread over ${pks.size} partition keys; one conversation has one MSG#<group> key`);
  const senders = new Set(m.map((x) => x.user_uuid));
  if (senders.size < 2) problems.push(`all messages come from one sender (${String([...senders][0])}); the conversation is between both users`);
  const badUuid = m.find((x) => !isUuid(x.message_uuid));
  if (badUuid) problems.push(`message_uuid ${JSON.stringify(badUuid.message_uuid)} is not a uuid`);
  const uuids = new Set(m.map((x) => x.message_uuid));
  if (uuids.size !== m.length) problems.push(`${m.length - uuids.size} message_uuid(s) are repeated; generate one per message`);
  const badSk = m.find((x) => !isIsoTimestamp(x.sk));
  if (badSk) problems.push(`sk ${JSON.stringify(badSk.sk)} is not an ISO-8601 time`);
  const empty = m.filter((x) => typeof x.message !== 'string' || x.message.trim() === '').length;
  if (empty > 0) problems.push(`${empty} message(s) have no text`);
  if (problems.length > 0) throw new LearnerFailure(`Messages: ${problems.join('; ')}. See ${readmeRef(lab, 3)}.`);
  return `${m.length} messages in MSG#${String(group ?? [...pks][0])}, from ${senders.size} users, unique uuids, ISO-8601 times`;
});

labTask(lab, 4, async () => {
  const ctx = await context();
  const s = await seeded(ctx);
  requireItems(s, 4);
  const byUuid = new Map(ctx.users.map((u) => [u.uuid, u]));
  const problems: string[] = [];
  for (const item of [...s.groups, ...s.messages]) {
    const user = byUuid.get(String(item.user_uuid));
    const where = `${String(item.pk)} ${String(item.sk)}`;
    if (!user) problems.push(`${where}: user_uuid ${String(item.user_uuid)} is not a Postgres user`);
    else if (item.user_handle !== user.handle || item.user_display_name !== user.display_name) {
      problems.push(`${where}: ${String(item.user_handle)} / ${String(item.user_display_name)} does not match Postgres (${user.handle} / ${user.display_name})`);
    }
    if (item.pk && String(item.pk).startsWith('GRP#') && !byUuid.has(String(item.pk).slice(4))) {
      problems.push(`${where}: owner ${String(item.pk).slice(4)} is not a Postgres user`);
    }
  }
  if (problems.length > 0) {
    throw new LearnerFailure(
      `${problems.length} item(s) name users that are not in Postgres, e.g. ${problems.slice(0, 2).join('; ')}. ` +
        `This run's users are ${usersText(ctx.users)}: read them from Postgres rather than pasting uuids. See ${readmeRef(lab, 4)}.`,
    );
  }
  return `every user field matches a Postgres row (${usersText(ctx.users)})`;
});

labTask(lab, 5, async () => {
  const ctx = await context();
  const s = await seeded(ctx);
  requireItems(s, 5);
  const now = Date.now();
  const future = [...s.groups, ...s.messages].filter((x) => isIsoTimestamp(x.sk) && Date.parse(String(x.sk)) > now + FUTURE_TOLERANCE_MS);
  if (future.length > 0) {
    const latest = future.map((x) => String(x.sk)).sort().at(-1);
    throw new LearnerFailure(
      `${future.length} item(s) are dated in the future (latest ${latest}; now is ${new Date(now).toISOString()}), so new messages would sort before them. ` +
        `Start the conversation in the past, e.g. now - 1 day, in UTC. See ${readmeRef(lab, 5)}.`,
    );
  }
  return `all ${s.groups.length + s.messages.length} items are dated at or before ${new Date(now).toISOString()}`;
});
