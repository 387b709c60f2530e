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
import type { EvidenceView } from './evidence-view.ts';
import { cell, codeBlock, codeCell, codeSpan, inlineText, table } from './markdown-text.ts';
import { trimForJournal } from './trim-output.ts';
import type { WeekJournal } from './week-journal.ts';

/** Rows shown of a list; the results file keeps them all. */
const MAX_ROWS = 20;

/**
 * Markdown blocks for one task's evidence: the steps it ran, the tools it started, the services' facts, then the
 * keys the week's manifest declares in its order, and every other key as JSON.
 */
export function evidenceBlocks(task: TaskResult, journal: Pick<WeekJournal, 'tools' | 'evidence'> = {}): string[] {
  const evidence: Evidence = task.evidence ?? {};
  const blocks: string[] = [];
  const shown = new Set<string>(['screenshot']);
  // A value of an unexpected shape renders as undefined and is left to `otherBlock`, so it never vanishes.
  const take = (key: string, render: (value: unknown) => string[] | undefined): void => {
    if (!(key in evidence) || shown.has(key)) return;
    const out = render(evidence[key]);
    if (out === undefined) return;
    shown.add(key);
    blocks.push(...out);
  };
  take('steps', (v) => readSteps(v)?.flatMap(stepBlock));
  for (const [key, name] of Object.entries(journal.tools ?? {})) take(key, (v) => toolBlock(name, v));
  take('dynamodb', (v) => keyValueBlock('DynamoDB Local', v));
  take('postgres', (v) => keyValueBlock('Postgres', v));
  for (const [key, view] of Object.entries(journal.evidence ?? {})) take(key, (v) => viewBlocks(view, v));
  for (const [key, value] of Object.entries(evidence)) {
    if (!shown.has(key)) blocks.push(...otherBlock(key, value));
  }
  return blocks;
}

function viewBlocks(view: EvidenceView, value: unknown): string[] | undefined {
  switch (view.kind) {
    case 'fields':
      return keyValueBlock(view.title, value);
    case 'rows':
      return rowsBlock(view, value);
    case 'names':
      return namesBlock(view.title, value);
    case 'dynamodb-table':
      return tableBlocks(readTable(value));
    case 'part-of':
      return partOfBlock(view, value);
    case 'breakdown':
      return breakdownBlock(view, value);
  }
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

function rowsBlock(view: Extract<EvidenceView, { kind: 'rows' }>, value: unknown): string[] | undefined {
  const rows = readRows(value);
  if (!rows) return undefined;
  if (rows.length === 0) return [`${label(view.title)}: none.`];
  const shown = rows.slice(0, MAX_ROWS).map((row) => view.columns.map((c) => (c.code ? codeCell : cell)(scalarText(row[c.key]))));
  const right = view.columns.flatMap((c, i) => (c.numeric ? [i] : []));
  const more = rows.length > MAX_ROWS ? [`_${rows.length - MAX_ROWS} more not shown._`] : [];
  return [label(view.title), table(view.columns.map((c) => c.header), shown, right), ...more];
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

function breakdownBlock(view: Extract<EvidenceView, { kind: 'breakdown' }>, value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const total = num(value[view.total]);
  if (total === undefined) return undefined;
  const rows: string[][] = [];
  let rest = total;
  for (const part of view.parts) {
    const count = num(value[part.key]);
    if (count === undefined) return undefined;
    rows.push([cell(part.label), codeCell(part.note), cell(count)]);
    rest -= count;
  }
  if (rest !== 0) rows.push([cell(view.rest), cell(''), cell(rest)]);
  rows.push([cell(view.all), cell(''), cell(total)]);
  return [label(view.title), table(view.headers, rows, [2])];
}

function partOfBlock(view: Extract<EvidenceView, { kind: 'part-of' }>, value: unknown): string[] | undefined {
  if (!isRecord(value)) return undefined;
  const part = num(value[view.part]);
  const whole = num(value[view.whole]);
  if (part === undefined || whole === undefined) return undefined;
  return [`${label(view.title)}: ${view.lead ? `${view.lead} ` : ''}**${part} of ${whole}** ${view.noun}.`];
}

function namesBlock(title: string, value: unknown): string[] | undefined {
  const names = readStrings(value);
  if (!names) return undefined;
  if (names.length === 0) return [`${label(title)}: none.`];
  const shown = names.slice(0, MAX_ROWS).map((n) => `- ${codeSpan(n) || cell('(empty name)')}`);
  if (names.length > MAX_ROWS) shown.push(`- _and ${names.length - MAX_ROWS} more_`);
  return [`${label(title)} (${names.length}):`, shown.join('\n')];
}

function otherBlock(key: string, value: unknown): string[] {
  return [`${label(inlineText(key))}:`, codeBlock(trimForJournal(JSON.stringify(value, null, 2) ?? String(value)), 'json')];
}
