import { ConfigError } from '../errors.ts';

/** Where the course's scripts talk to DynamoDB when nothing else is said (docker compose, port 8000). */
export const DEFAULT_LOCAL_ENDPOINT = 'http://localhost:8000';

type Env = Record<string, string | undefined>;

/** Which DynamoDB a script talks to, and which setting chose it (for messages). */
export type DynamoTarget =
  | { kind: 'aws'; reason: string }
  | { kind: 'local'; endpoint: string; source: 'AWS_ENDPOINT_URL_DYNAMODB' | 'AWS_ENDPOINT_URL' | 'default' };

/**
 * Resolves the DynamoDB endpoint the way the course scripts do. Real AWS is chosen only when a mode argument
 * contains `prod` (the course's `./bin/ddb/schema-load prod`); otherwise the SDK's own variables are honoured,
 * service-specific first, and the course's hard-coded `http://localhost:8000` is the fallback.
 *
 * `modeArgs` are the arguments that select the environment: each script leaves out values such as a table
 * name, so that `--table products` or `drop my-prod-copy` can never send a request to real AWS.
 */
export function resolveDynamoTarget(modeArgs: readonly string[], env: Env): DynamoTarget {
  const prodArg = modeArgs.find((arg) => arg.includes('prod'));
  if (prodArg !== undefined) return { kind: 'aws', reason: `argument ${JSON.stringify(prodArg)} contains "prod"` };
  for (const name of ['AWS_ENDPOINT_URL_DYNAMODB', 'AWS_ENDPOINT_URL'] as const) {
    const value = env[name]?.trim();
    if (value) return { kind: 'local', endpoint: checkedEndpoint(value, name), source: name };
  }
  return { kind: 'local', endpoint: DEFAULT_LOCAL_ENDPOINT, source: 'default' };
}

function checkedEndpoint(value: string, variable: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (error) {
    throw new ConfigError(`${variable}=${JSON.stringify(value)} is not a URL. Set it like ${DEFAULT_LOCAL_ENDPOINT}, or unset it.`, { cause: error });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`${variable}=${JSON.stringify(value)} must be an http(s) URL, e.g. ${DEFAULT_LOCAL_ENDPOINT}.`);
  }
  return value;
}

/** A short description of a target for output lines, e.g. `DynamoDB at http://localhost:8000 (AWS_ENDPOINT_URL)`. */
export function describeTarget(target: DynamoTarget): string {
  if (target.kind === 'aws') return `real AWS DynamoDB (${target.reason})`;
  return `DynamoDB at ${target.endpoint} (${target.source === 'default' ? 'course default' : target.source})`;
}

/**
 * The Postgres URL of the course database: `CONNECTION_URL` as the course sets it, else `DATABASE_URL`
 * (which some learners used). Throws ConfigError when neither is set.
 */
export function resolvePostgresUrl(env: Env): string {
  for (const name of ['CONNECTION_URL', 'DATABASE_URL'] as const) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  throw new ConfigError(
    'No Postgres URL: neither CONNECTION_URL nor DATABASE_URL is set. ' +
      'Set CONNECTION_URL, e.g. CONNECTION_URL=postgresql://postgres:password@localhost:5432/cruddur.',
  );
}

/** A URL with its password replaced by `***`, safe to print. Returns the input unchanged when it is no URL. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return raw;
  }
}
