import { readFile } from 'node:fs/promises';
import { LabError } from '../errors.ts';
import { isRecord, RESULTS_VERSION, type RunResults } from '../results/model.ts';

const STATUSES = ['pass', 'fail', 'error'];
const SUBMISSION_KINDS = ['reference', 'repository', 'steps-file'];
const RERUN = 'Run `npm test` again to write a fresh one.';
const MAX_LISTED_PROBLEMS = 10;

/** A results file is missing, unreadable or not in the expected format: fix by re-running the suite. */
export class ResultsFileError extends LabError {
  readonly file: string;
  constructor(message: string, file: string, options?: ErrorOptions) {
    super(message, 'setup', options);
    this.file = file;
  }
}

/**
 * Reads and validates a results file (`reports/results.json`), the only input of every renderer.
 * Throws a ResultsFileError that says what is wrong with the file and what to do, with the cause kept.
 */
export async function readResults(file: string): Promise<RunResults> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    const what = missing ? `There is no results file at ${file}.` : `Could not read the results file ${file}.`;
    throw new ResultsFileError(`${what} ${missing ? 'Run `npm test` first to produce it.' : RERUN}`, file, {
      cause: error,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ResultsFileError(
      `The results file ${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); an interrupted run may have cut it off. ${RERUN}`,
      file,
      { cause: error },
    );
  }
  return parseResults(data, file);
}

/**
 * Validates parsed JSON as RunResults: version, required fields and their types, statuses.
 * `source` names the file in the error message.
 */
export function parseResults(data: unknown, source: string): RunResults {
  if (!isRecord(data)) throw invalid(source, ['the top level is not a JSON object']);
  if (data.version !== RESULTS_VERSION) {
    throw new ResultsFileError(
      `The results file ${source} has format version ${JSON.stringify(data.version)}, but this suite reads version ` +
        `${RESULTS_VERSION}: it was written by a different version of the suite. ${RERUN}`,
      source,
    );
  }
  const problems: string[] = [];
  const check = new Checker(problems);
  check.oneOf(data, 'status', STATUSES);
  for (const key of ['score', 'max_score']) check.number(data, key);
  for (const key of ['started_at', 'finished_at', 'backend']) check.string(data, key);
  check.optionalString(data, 'message');
  if (data.services !== null && !isRecord(data.services)) problems.push('services is neither an object nor null');
  if (check.object(data, 'submission')) check.oneOf(data.submission as Record<string, unknown>, 'kind', SUBMISSION_KINDS, 'submission.');
  if (check.object(data, 'environment')) {
    const env = data.environment as Record<string, unknown>;
    check.string(env, 'node', 'environment.');
    check.string(env, 'platform', 'environment.');
  }
  check.array(data, 'labs', (lab, at) => {
    for (const key of ['id', 'title']) check.string(lab, key, at);
    check.oneOf(lab, 'status', STATUSES, at);
    for (const key of ['score', 'max_score']) check.number(lab, key, at);
  });
  check.array(data, 'tests', (task, at) => {
    for (const key of ['task_id', 'lab', 'name', 'message', 'output']) check.string(task, key, at);
    check.oneOf(task, 'status', STATUSES, at);
    for (const key of ['score', 'max_score']) check.number(task, key, at);
    check.optionalString(task, 'hint', at);
    if (task.duration_ms !== undefined && typeof task.duration_ms !== 'number') problems.push(`${at}duration_ms is not a number`);
    if (task.evidence !== undefined && !isRecord(task.evidence)) problems.push(`${at}evidence is not an object`);
  });
  if (problems.length > 0) throw invalid(source, problems);
  return data as unknown as RunResults;
}

function invalid(source: string, problems: string[]): ResultsFileError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = problems.length > listed.length ? `; and ${problems.length - listed.length} more` : '';
  return new ResultsFileError(
    `The results file ${source} is not a valid results file: ${listed.join('; ')}${more}. ` +
      `It may be from an interrupted run or edited by hand. ${RERUN}`,
    source,
  );
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  const shown = json.length > 40 ? `${json.slice(0, 37)}...` : json;
  return `${shown} (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/** Records one readable problem per wrong field, with its path (`tests[2].status`). */
class Checker {
  constructor(private readonly problems: string[]) {}

  string(obj: Record<string, unknown>, key: string, at = ''): void {
    if (typeof obj[key] !== 'string') this.problems.push(`${at}${key} should be a string but is ${describe(obj[key])}`);
  }

  optionalString(obj: Record<string, unknown>, key: string, at = ''): void {
    if (obj[key] !== undefined) this.string(obj, key, at);
  }

  number(obj: Record<string, unknown>, key: string, at = ''): void {
    const value = obj[key];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problems.push(`${at}${key} should be a number but is ${describe(value)}`);
    }
  }

  oneOf(obj: Record<string, unknown>, key: string, allowed: string[], at = ''): void {
    const value = obj[key];
    if (typeof value !== 'string' || !allowed.includes(value)) {
      this.problems.push(`${at}${key} should be one of ${allowed.join(', ')} but is ${describe(value)}`);
    }
  }

  object(obj: Record<string, unknown>, key: string): boolean {
    if (isRecord(obj[key])) return true;
    this.problems.push(`${key} should be an object but is ${describe(obj[key])}`);
    return false;
  }

  array(obj: Record<string, unknown>, key: string, each: (item: Record<string, unknown>, at: string) => void): void {
    const value = obj[key];
    if (!Array.isArray(value)) {
      this.problems.push(`${key} should be an array but is ${describe(value)}`);
      return;
    }
    value.forEach((item: unknown, i) => {
      if (isRecord(item)) each(item, `${key}[${i}].`);
      else this.problems.push(`${key}[${i}] should be an object but is ${describe(item)}`);
    });
  }
}
