import { redactUrl } from '../ddb/endpoint.ts';
import { ConfigError, errorMessage, ServiceError } from '../errors.ts';
import type { UserRow } from '../course/users.ts';
import { PostgresConnectError, withClient } from '../services/pg-client.ts';

/** How long to wait for a Postgres connection before saying so; unreachable hosts otherwise hang for minutes. */
export const CONNECT_TIMEOUT_MS = 10_000;

/** How findUsersByHandle waits and what it tells the user when a handle is missing. */
export interface FindUsersOptions {
  timeoutMs?: number;
  /** The last sentence of the missing-handle message: how to name another handle in the calling script. */
  missingHint?: string;
}

const SEED_MISSING_HINT = 'Seed the course users with npm run db:setup, or name existing handles in SEED_MY_HANDLE / SEED_OTHER_HANDLE.';

/**
 * Looks users up by handle, in the order asked. Throws ConfigError naming the first handle that is missing
 * (the course seed crashed with `'NoneType' object is not subscriptable` there), and ServiceError when
 * Postgres cannot be reached.
 */
export async function findUsersByHandle(url: string, handles: readonly string[], options: FindUsersOptions = {}): Promise<UserRow[]> {
  const where = redactUrl(url);
  let rows: UserRow[];
  try {
    rows = await withClient(
      url,
      async (client) => (await client.query<UserRow>('SELECT uuid::text AS uuid, display_name, handle FROM public.users WHERE handle = ANY($1::text[])', [[...handles]])).rows,
      { connectTimeoutMs: options.timeoutMs ?? CONNECT_TIMEOUT_MS },
    );
  } catch (error) {
    if (error instanceof PostgresConnectError) {
      throw new ServiceError(
        `Could not connect to Postgres at ${where}: ${errorMessage(error)}. Start Postgres and check CONNECTION_URL; ` +
          'from the host, use localhost rather than the compose service name `db`.',
        { cause: error },
      );
    }
    if (pgCode(error) === '42P01') {
      throw new ConfigError(`The Postgres database at ${where} has no users table. Load the schema and users first: npm run db:setup.`, {
        cause: error,
      });
    }
    throw new ServiceError(`Reading users from Postgres at ${where} failed: ${errorMessage(error)}.`, { cause: error });
  }
  return handles.map((handle) => {
    const row = rows.find((candidate) => candidate.handle === handle);
    if (!row) {
      throw new ConfigError(`No user with handle ${JSON.stringify(handle)} in Postgres at ${where}. ${options.missingHint ?? SEED_MISSING_HINT}`);
    }
    return row;
  });
}

function pgCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') return error.code;
  return undefined;
}
