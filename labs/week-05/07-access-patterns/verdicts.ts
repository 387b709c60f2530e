import type { TableDescription } from '@aws-sdk/client-dynamodb';
import { CONVERSATION_LIMIT } from '../../../src/course/access-patterns.ts';
import type { FoundMarkers } from './markers.ts';
import { newestIndices, THIS_YEAR_MESSAGES, type PatternPlan } from './pattern-data.ts';

const COMPUTE_YEAR = 'compute the current year, e.g. `str(datetime.now(timezone.utc).year)`';
const YEAR_ADVICE = `${COMPUTE_YEAR}, rather than writing a year such as '2023' into the script`;

/** Why a table cannot hold the lab's items (key pk/sk, ACTIVE), or undefined when it can. */
export function tableProblem(table: TableDescription | undefined): string | undefined {
  if (!table) return 'there is no table `cruddur-messages`';
  const key = (type: string) => table.KeySchema?.find((k) => k.KeyType === type)?.AttributeName;
  const typeOf = (name: string) => table.AttributeDefinitions?.find((a) => a.AttributeName === name)?.AttributeType;
  const found = (table.KeySchema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ') || 'none';
  if (key('HASH') !== 'pk' || key('RANGE') !== 'sk' || typeOf('pk') !== 'S' || typeOf('sk') !== 'S') {
    return `\`cruddur-messages\` is not keyed pk (HASH, S) + sk (RANGE, S) (found: ${found})`;
  }
  if (table.TableStatus !== 'ACTIVE') return `\`cruddur-messages\` is ${table.TableStatus ?? 'in an unknown state'}, not ACTIVE`;
  return undefined;
}

function years(indices: Iterable<number>, plan: PatternPlan): number[] {
  return [...new Set([...indices].map((i) => plan.historyYears[i]).filter((y): y is number => y !== undefined))].sort();
}

/**
 * What is wrong with get-conversation's output, as sentences naming the likely cause; empty when it printed
 * exactly the newest 20 of this year's messages of the group and nothing else of the lab's.
 */
export function conversationProblems(found: FoundMarkers, plan: PatternPlan): string[] {
  const now = found['msg-now'];
  const old = found['msg-old'];
  const other = found['msg-other'];
  const wanted = newestIndices(CONVERSATION_LIMIT);
  const firstWanted = wanted[0] ?? 0;
  const missing = wanted.filter((i) => !now.has(i));
  const older = [...now].filter((i) => i < firstWanted);
  const where = `group ${plan.groupUuid}`;

  if (now.size === 0 && old.size === 0 && other.size === 0) {
    return [
      `It printed none of the lab's messages: the query found nothing, although ${where} holds ${THIS_YEAR_MESSAGES} messages ` +
        `from ${plan.year} (and older ones). The likely cause is the year in begins_with(sk, :year): ${YEAR_ADVICE}. ` +
        `Check also the table name \`cruddur-messages\` and pk = MSG#${plan.groupUuid}.`,
    ];
  }
  const problems: string[] = [];
  const hardCoded = now.size === 0 && years(old, plan).length === 1;
  if (old.size > 0) {
    const oldYears = years(old, plan).join(', ');
    if (hardCoded) {
      problems.push(`It printed only messages from ${oldYears} and none from ${plan.year}: the year is hard-coded to '${oldYears}'; ${COMPUTE_YEAR}.`);
    } else {
      problems.push(
        `It printed ${old.size} message(s) from earlier years (${oldYears}): the key condition must keep this year only, ` +
          `pk = :pk AND begins_with(sk, :year) with the current year (${plan.year}).`,
      );
    }
  }
  if (older.length > 0 && missing.length > 0) {
    problems.push(
      `It printed ${older.length} of this year's older messages and missed ${missing.length} of the newest ${CONVERSATION_LIMIT}: ` +
        `with ScanIndexForward=True, Limit 20 keeps the OLDEST 20. Query newest first with ScanIndexForward=False.`,
    );
  } else if (older.length > 0) {
    problems.push(
      `It printed ${now.size} of this year's ${THIS_YEAR_MESSAGES} messages, not just the newest ${CONVERSATION_LIMIT}: set Limit=20 ` +
        '(with ScanIndexForward=False, so that the 20 are the newest).',
    );
  } else if (missing.length > 0 && now.size > 0) {
    problems.push(
      `It printed only ${now.size} of the newest ${CONVERSATION_LIMIT} messages of ${plan.year}: query with Limit=20 and print every item ` +
        "of response['Items'].",
    );
  } else if (missing.length > 0 && !hardCoded) {
    problems.push(`It printed none of the ${CONVERSATION_LIMIT} newest messages of ${plan.year}; ${YEAR_ADVICE}, and query newest first (ScanIndexForward=False).`);
  }
  if (other.size > 0) {
    problems.push(`It printed ${other.size} message(s) of another group (${plan.otherGroupUuid}): query only pk = MSG#${plan.groupUuid}, do not scan.`);
  }
  return problems;
}

/**
 * What is wrong with list-conversations' output; empty when it printed a message group of this year and
 * none of the earlier year's.
 */
export function groupsProblems(found: FoundMarkers, plan: PatternPlan): string[] {
  const now = found['group-now'];
  const old = found['group-old'];
  const handles = plan.owners.map((o) => o.handle).join(', ');
  if (now.size === 0 && old.size === 0) {
    return [
      `It printed no message group, although the lab stored one group from ${plan.year} and one from ${plan.otherYear} for every ` +
        `Postgres user (${handles}) under pk GRP#<user uuid>. The likely cause is the year in begins_with(sk, :year): ${YEAR_ADVICE}. ` +
        'Check also that the handle it looks up is one of these and that it queries `cruddur-messages`.',
    ];
  }
  const problems: string[] = [];
  if (now.size === 0) {
    problems.push(`It printed the group from ${plan.otherYear} but not the one from ${plan.year}: the year is hard-coded or wrong; ${YEAR_ADVICE}.`);
  } else if (old.size > 0) {
    problems.push(`It also printed the group from ${plan.otherYear}: add begins_with(sk, :year) with the current year (${plan.year}) to the key condition.`);
  }
  return problems;
}

/** The handles whose group of this year was printed. */
export function printedOwners(found: FoundMarkers, plan: PatternPlan): string[] {
  return [...found['group-now']].map((i) => plan.owners[i]?.handle ?? `user ${i}`);
}

/**
 * What a crashed pattern script most likely got wrong, from its traceback, for the mistakes learners made;
 * undefined for anything else (the failure message then shows the traceback alone).
 */
export function crashHint(output: string, handles: readonly string[]): string | undefined {
  const attribute = output.match(/AttributeError: module 'datetime' has no attribute '(\w+)'/);
  if (attribute) {
    return (
      `\`import datetime\` imports the module, which has no \`${attribute[1]}\`: write \`datetime.datetime.now(datetime.timezone.utc)\`, ` +
      'or import the class with `from datetime import datetime, timezone` and call `datetime.now(timezone.utc)`.'
    );
  }
  const name = output.match(/NameError: name '(\w+)' is not defined/);
  if (name) {
    return name[1] === 'reversed_array'
      ? '`reversed_array` is used but never assigned: define it before the loop, `reversed_array = items[::-1]` (the items in display order).'
      : `\`${name[1]}\` is used but never assigned: a typo, or the line that defines it is missing.`;
  }
  const undefinedValue = output.match(/attribute value used in expression is not defined; attribute value: (:\w+)/);
  if (undefinedValue) {
    return (
      `The key condition uses \`${undefinedValue[1]}\`, which ExpressionAttributeValues does not define: use the same name in both, ` +
      "e.g. `begins_with(sk, :year)` with `':year': {'S': year}`."
    );
  }
  const unused = output.match(/Value provided in ExpressionAttributeValues unused in expressions: keys: \{([^}]*)\}/);
  if (unused) {
    return (
      `ExpressionAttributeValues defines ${unused[1]}, which the key condition does not use: every \`:name\` must be spelled the same in ` +
      "the expression and in the values, e.g. `begins_with(sk, :year)` with `':year': {'S': year}`."
    );
  }
  if (/ResourceNotFoundException/.test(output)) return 'The table does not exist: the script must query `cruddur-messages`, spelled exactly so.';
  if (/'NoneType' object is not subscriptable/.test(output)) {
    return `A Postgres lookup found nothing: the handle the script looks up must be one of this run's users (${handles.join(', ')}), and CONNECTION_URL must point at localhost.`;
  }
  return undefined;
}
