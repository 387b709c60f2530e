/** A column of a `rows` view: the record key it shows and its header. */
export interface EvidenceColumn {
  key: string;
  header: string;
  /** Right-aligned, for counts and sizes. */
  numeric?: boolean;
  /** Each value as a code span, for identifiers such as table names. */
  code?: boolean;
}

/** One part of a `breakdown`: the key of its count, its row label and a note (shown as code, e.g. a key shape). */
export interface EvidencePart {
  key: string;
  label: string;
  note: string;
}

/**
 * How the journal shows the value a week's labs record under one evidence key. Titles are inline markdown (a code
 * span stays one); headers, labels and notes show as plain text. A value of another shape shows as JSON.
 */
export type EvidenceView =
  /** A flat object as a Field / Value table. */
  | { kind: 'fields'; title: string }
  /** An array of records as a table of the given columns: the first 20 rows, then how many more there are. */
  | { kind: 'rows'; title: string; columns: EvidenceColumn[] }
  /** An array of strings as a bulleted list of code spans: `**Title** (n):`, the first 20, then how many more. */
  | { kind: 'names'; title: string }
  /** A DynamoDB table description: name, status, key schema, attributes, billing and global secondary indexes. */
  | { kind: 'dynamodb-table' }
  /**
   * Two numbers of a record as one sentence: `**Title**: <lead> **<part> of <whole>** <noun>.`, e.g.
   * `{ title: 'Upload', lead: 'the job sent', part: 'sent', whole: 'total', noun: 'files' }`.
   */
  | { kind: 'part-of'; title: string; lead?: string; part: string; whole: string; noun: string }
  /**
   * A total and the counts it splits into, as a table with `headers` (label, note, count): one row per part, a
   * `rest` row when the parts do not add up to the total, and an `all` row with the total.
   */
  | { kind: 'breakdown'; title: string; total: string; headers: [string, string, string]; parts: EvidencePart[]; rest: string; all: string };
