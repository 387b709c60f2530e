import { isRecord, type TaskResult } from '../results/model.ts';
import {
  num,
  readRows,
  readSteps,
  readStrings,
  readTable,
  scalarText,
  str,
  type Evidence,
  type StepEvidenceView,
  type TableEvidence,
} from './evidence.ts';
import { cell, codeBlock, codeCell, codeSpan, inlineText, table } from './markdown-text.ts';
import { trimForJournal } from './trim-output.ts';

/** Rows shown of a list (first messages, users, tables); the results file keeps them all. */
const MAX_ROWS = 20;

/** Markdown blocks for one task's evidence: the steps it ran and the facts it observed, in a fixed order. */
export function evidenceBlocks(task: TaskResult, tools: Record<string, string> = {}): string[] {
  const evidence: Evidence = task.evidence ?? {};
  const blocks: string[] = [];
  const shown = new Set<string>(['screenshot']);
  const take = (key: string, render: (value: unknown) => string[] | undefined): void => {
    if (!(key in evidence)) return;
    const out = render(evidence[key]);
    if (out === undefined) return;
    shown.add(key);
    blocks.push(...out);
  };
  take('steps', (v) => readSteps(v)?.flatMap(stepBlock));
  for (const [key, name] of Object.entries(tools)) take(key, (v) => toolBlock(name, v));
  take('dynamodb', (v) => keyValueBlock('DynamoDB Local', v));
  take('postgres', (v) => keyValueBlock('Postgres', v));
  take('usersColumns', (v) => rowsBlock('Columns of `users`', v, ['column_name', 'data_type'], ['Column', 'Type']));
  take('table', (v) => tableBlocks(readTable(v)));
  take('users', (v) => rowsBlock('Users in Postgres (this run)', v, ['handle', 'display_name', 'uuid'], ['Handle', 'Display name', 'uuid']));
  take('counts', countsBlock);
  take('firstMessages', (v) => rowsBlock('The first messages of the conversation', v, ['sk', 'user_handle', 'message'], ['Time (sk)', 'From', 'Message']));
  take('coverage', coverageBlock);
  take('listed', listedBlock);
  take('served', (v) => keyValueBlock('What the table page served', v));
  take('tables', tablesBlock);
  for (const [key, value] of Object.entries(evidence)) {
    if (!shown.has(key)) blocks.push(...otherBlock(key, value));
  }
  return blocks;
}

function label(text: string): string {
  return `**${text}**`;
}

function stepBlock(step: StepEvidenceView): string[] {
  const facts = [
    step.timedOut ? 'timed out' : step.exitCode === null ? 'killed' : `exit code ${step.exitCode}`,
    ...(step.durationMs !== undefined ? [`${Math.round(step.durationMs)} ms`] : []),
  ];
  const heading = `${label('Command')}${step.step ? ` ${codeSpan(step.step)}` : ''} (${facts.join(', ')}):`;
  const output = trimForJournal(step.output);
  return [heading, codeBlock(`$ ${step.command}\n${output === '' ? '(no output)' : output}`, 'console')];
}

/** A tool a lab started: its name, version and address, the command that started it and its log. */
function toolBlock(name: string, value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const command = str(value.command);
  const version = str(value.version);
  const url = str(value.url);
  const intro = `${label(name)}${version ? ` ${inlineText(version)}` : ''}${url ? ` at ${codeSpan(url)}` : ''}${
    command ? ', started with:' : ''
  }`;
  const blocks = [intro];
  if (command) {
    const log = trimForJournal(str(value.log) ?? '');
    blocks.push(codeBlock(`$ ${command}${log ? `\n${log}` : ''}`, 'console'));
  }
  return blocks;
}

/** A flat object as a two-column table (nested values as JSON). */
function keyValueBlock(title: string, value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const rows = Object.entries(value).map(([k, v]) => [cell(k), typeof v === 'number' ? cell(v) : cell(scalarText(v))]);
  return [label(title), table(['Field', 'Value'], rows)];
}

function rowsBlock(title: string, value: unknown, keys: string[], headers: string[]): string[] | undefined {
  const rows = readRows(value);
  if (!rows) return undefined;
  if (rows.length === 0) return [`${label(title)}: none.`];
  const shown = rows.slice(0, MAX_ROWS).map((row) => keys.map((k) => cell(scalarText(row[k]))));
  const more = rows.length > MAX_ROWS ? [`_${rows.length - MAX_ROWS} more not shown._`] : [];
  return [label(title), table(headers, shown), ...more];
}

function keyRows(keys: TableEvidence['keySchema'], attributes: Map<string, string>): string[][] {
  return keys.map((k) => [codeCell(k.name), cell(k.keyType === 'HASH' ? 'partition (HASH)' : k.keyType === 'RANGE' ? 'sort (RANGE)' : k.keyType), cell(attributes.get(k.name) ?? '?')]);
}

function tableBlocks(t: TableEvidence | undefined): string[] | undefined {
  if (!t) return undefined;
  const attributes = new Map(t.attributes);
  const blocks = [
    `${label('Table')} ${codeSpan(t.name) || '(unnamed)'}, status ${inlineText(t.status || 'unknown')}.`,
    label('Key schema'),
    table(['Attribute', 'Key', 'Type'], keyRows(t.keySchema, attributes)),
    label('Attribute definitions'),
    t.attributes.length > 0 ? table(['Attribute', 'Type'], t.attributes.map(([n, type]) => [codeCell(n), cell(type)])) : '_None._',
  ];
  const billing =
    t.billingMode === 'PAY_PER_REQUEST'
      ? 'on-demand (PAY_PER_REQUEST), an accepted variant'
      : `${t.billingMode || 'PROVISIONED'}${t.provisioned ? `, ${t.provisioned.read} read / ${t.provisioned.write} write capacity units` : ''}`;
  blocks.push(`${label('Billing')}: ${inlineText(billing)}.`);
  blocks.push(label('Global secondary indexes'));
  if (t.indexes.length === 0) {
    blocks.push('_None._');
  } else {
    const key = (keys: TableEvidence['keySchema'], type: string) => codeCell(keys.find((k) => k.keyType === type)?.name ?? '') || cell('-');
    blocks.push(
      table(
        ['Index', 'Partition key', 'Sort key', 'Projection'],
        t.indexes.map((g) => [codeCell(g.name), key(g.keySchema, 'HASH'), key(g.keySchema, 'RANGE'), cell(g.projection)]),
      ),
    );
  }
  return blocks;
}

function countsBlock(value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const items = num(value.items);
  const groups = num(value.groups);
  const messages = num(value.messages);
  if (items === undefined || groups === undefined || messages === undefined) return undefined;
  const rows = [
    [cell('Message groups'), codeCell('GRP#<user uuid>'), cell(groups)],
    [cell('Messages'), codeCell('MSG#<message_group_uuid>'), cell(messages)],
  ];
  const other = items - groups - messages;
  if (other !== 0) rows.push([cell('Other items'), cell(''), cell(other)]);
  rows.push([cell('All items'), cell(''), cell(items)]);
  return [label('Items by entity'), table(['Entity', 'Partition key', 'Items'], rows, [2])];
}

function coverageBlock(value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const printed = num(value.printed);
  const total = num(value.total);
  if (printed === undefined || total === undefined) return undefined;
  return [`${label('Scan coverage')}: the scan printed **${printed} of ${total}** items.`];
}

function listedBlock(value: unknown): string[] | undefined {
  const rows = readRows(value);
  if (!rows) return undefined;
  return [
    label('Tables the page listed'),
    rows.length === 0 ? '_None._' : table(['Table', 'Items'], rows.slice(0, MAX_ROWS).map((r) => [codeCell(scalarText(r.name)), cell(scalarText(r.itemCount))]), [1]),
  ];
}

function tablesBlock(value: unknown): string[] | undefined {
  const names = readStrings(value);
  if (!names) return undefined;
  if (names.length === 0) return [`${label('Tables')}: none.`];
  const shown = names.slice(0, MAX_ROWS).map((n) => `- ${codeSpan(n) || cell('(empty name)')}`);
  if (names.length > MAX_ROWS) shown.push(`- _and ${names.length - MAX_ROWS} more_`);
  return [`${label('Tables')} (${names.length}):`, shown.join('\n')];
}

function otherBlock(key: string, value: unknown): string[] {
  return [`${label(inlineText(key))}:`, codeBlock(trimForJournal(JSON.stringify(value, null, 2) ?? String(value)), 'json')];
}
