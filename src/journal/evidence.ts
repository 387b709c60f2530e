// Typed views of `tests[].evidence`. The results file may come from another version of the suite or be edited
// by hand, so every reader checks shapes and returns undefined for anything it does not recognise; the journal
// then shows that value as JSON instead of guessing.

import { isRecord, type StepEvidence } from '../results/model.ts';

export type Evidence = Record<string, unknown>;

/** A step as the results file recorded it (`StepEvidence`), read tolerantly: an edited file may lack its duration. */
export type StepEvidenceView = Omit<StepEvidence, 'durationMs' | 'cpuMs'> & { durationMs: number | undefined };

export interface KeyElement {
  name: string;
  keyType: string;
}

export interface TableEvidence {
  name: string;
  status: string;
  keySchema: KeyElement[];
  attributes: Array<[string, string]>;
  billingMode: string;
  provisioned: { read: number; write: number } | undefined;
  indexes: Array<{ name: string; keySchema: KeyElement[]; projection: string }>;
}

export interface ScreenshotEvidence {
  /** Where the lab wrote the PNG, relative to the suite's root (its working directory). */
  path: string;
  width: number;
  height: number;
  bytes: number;
  sha256: string | undefined;
  url: string | undefined;
  browser: string | undefined;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Text for a scalar of unknown type (a DynamoDB attribute may be a number, a boolean, a nested map...). */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value) ?? String(value);
}

export function readSteps(value: unknown): StepEvidenceView[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const steps: StepEvidenceView[] = [];
  for (const item of value) {
    if (!isRecord(item) || str(item.command) === undefined) return undefined;
    steps.push({
      step: str(item.step) ?? '',
      command: str(item.command) ?? '',
      exitCode: num(item.exitCode) ?? null,
      durationMs: num(item.durationMs),
      timedOut: item.timedOut === true,
      output: str(item.output) ?? '',
    });
  }
  return steps;
}

function readKeySchema(value: unknown): KeyElement[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const keys: KeyElement[] = [];
  for (const k of value) {
    if (!isRecord(k)) return undefined;
    keys.push({ name: str(k.AttributeName) ?? '', keyType: str(k.KeyType) ?? '' });
  }
  return keys;
}

export function readTable(value: unknown): TableEvidence | undefined {
  if (!isRecord(value)) return undefined;
  const keySchema = readKeySchema(value.keySchema);
  if (!keySchema) return undefined;
  const attributes = isRecord(value.attributes)
    ? Object.entries(value.attributes).map(([name, type]): [string, string] => [name, scalarText(type)])
    : [];
  const provisioned = isRecord(value.provisioned) ? value.provisioned : undefined;
  const read = num(provisioned?.read);
  const write = num(provisioned?.write);
  const indexes = Array.isArray(value.indexes)
    ? value.indexes.filter(isRecord).map((g) => ({
        name: str(g.name) ?? '',
        keySchema: readKeySchema(g.keySchema) ?? [],
        projection: str(g.projection) ?? '',
      }))
    : [];
  return {
    name: str(value.name) ?? '',
    status: str(value.status) ?? '',
    keySchema,
    attributes,
    billingMode: str(value.billingMode) ?? '',
    provisioned: read !== undefined && write !== undefined ? { read, write } : undefined,
    indexes,
  };
}

export function readStrings(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
}

/** An array of flat objects, e.g. the rows of a query. */
export function readRows(value: unknown): Array<Record<string, unknown>> | undefined {
  return Array.isArray(value) && value.every(isRecord) ? value : undefined;
}

export function readScreenshot(value: unknown): ScreenshotEvidence | undefined {
  if (!isRecord(value)) return undefined;
  const path = str(value.path);
  const width = num(value.width);
  const height = num(value.height);
  const bytes = num(value.bytes);
  if (path === undefined || width === undefined || height === undefined || bytes === undefined) return undefined;
  return { path, width, height, bytes, sha256: str(value.sha256), url: str(value.url), browser: str(value.browser) };
}
