import { defineScript } from '../ddb/define-script.ts';
import { redactUrl, resolvePostgresUrl } from '../ddb/endpoint.ts';
import { UsageError } from '../ddb/script-args.ts';
import { errorMessage, ServiceError } from '../errors.ts';
import { COURSE_USERS, ensureDatabase, reseedUsers } from '../course/users.ts';

/**
 * The course's `bin/db/setup` in one step: creates the database of CONNECTION_URL if it is missing, loads
 * the users schema and replaces all users with the course's two (fresh uuids each run, as the course's
 * drop-and-recreate did). Prints one line per user.
 */
export const dbSetup = defineScript('db-setup', async (ctx) => {
  if (ctx.args.length > 0) throw new UsageError(`db-setup takes no arguments (got ${ctx.args.join(' ')}). Usage: db-setup   (env: CONNECTION_URL)`);
  const url = resolvePostgresUrl(ctx.env);
  const where = redactUrl(url);
  const database = databaseOf(url);
  try {
    // The course's setup dropped and re-created the database; creating it only when missing is enough here.
    if (database && database !== 'postgres') await ensureDatabase(withDatabase(url, 'postgres'), database);
    const users = await reseedUsers(url, COURSE_USERS);
    for (const user of users) ctx.out(`user ${user.handle} (${user.display_name}) ${user.uuid}`);
    ctx.out(`loaded the users schema and ${users.length} users into ${where}`);
    return 0;
  } catch (error) {
    throw new ServiceError(
      `Setting up Postgres at ${where} failed: ${errorMessage(error)}. Check that Postgres runs and that CONNECTION_URL ` +
        'names a user allowed to create databases and tables.',
      { cause: error },
    );
  }
});

/** The database a postgresql:// URL names, or undefined for other connection strings. */
function databaseOf(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).pathname.slice(1)) || undefined;
  } catch {
    return undefined;
  }
}

/** The same server URL pointing at another database (the maintenance database, to create ours). */
function withDatabase(url: string, database: string): string {
  const next = new URL(url);
  next.pathname = `/${database}`;
  return next.toString();
}
