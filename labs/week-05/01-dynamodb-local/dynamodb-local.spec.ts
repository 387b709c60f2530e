import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import pg from 'pg';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab } from '../../../src/labkit/lab-context.ts';
import { labTask, type TaskRecorder } from '../../../src/labkit/lab-task.ts';
import { PostgresConnectError, withClient } from '../../../src/services/pg-client.ts';
import type { PostgresFacts } from '../../../src/services/types.ts';
import { errorMessage, LearnerFailure, ServiceError } from '../../../src/errors.ts';
import { dynamoDbPortProblems, expectedPostgres, isDynamoDbLocal, postgresProblems, readComposeFile, sharedDbProblems, COMPOSE_FILES, type ComposeFile } from './compose-file.ts';
import { lab } from './lab.ts';
import { sharedDbInContainer, sharesOneDatabase } from './learner-dynamodb.ts';

const context = useLab(lab);

/**
 * A learner's repository is graded on what the learner did this week: the compose file that runs DynamoDB Local
 * and Postgres. The services the labs run on are the grader's own, so checking them would grade the grader.
 * The reference solution (`npm test`) checks the suite's services.
 */
function learnerCompose(root: string, task: number): ComposeFile {
  const read = readComposeFile(root);
  if ('kind' in read) {
    if (read.kind === 'missing') {
      throw new LearnerFailure(
        `No compose file at the root of the repository (looked for ${COMPOSE_FILES.join(', ')}). This week's step adds DynamoDB Local ` +
          `to \`docker-compose.yml\`: a \`dynamodb-local\` service with image \`amazon/dynamodb-local\`, \`command: "-jar DynamoDBLocal.jar -sharedDb -inMemory"\` ` +
          `and \`ports: ["8000:8000"]\`, beside the \`db\` (postgres) service. See ${readmeRef(lab, task)}.`,
      );
    }
    throw new LearnerFailure(`${read.message}. Fix the file so that \`docker compose config\` accepts it. See ${readmeRef(lab, task)}.`);
  }
  return read;
}

function judgeCompose(problems: string[], task: number): void {
  if (problems.length > 0) throw new LearnerFailure(`${problems.join('\n')}\nSee ${readmeRef(lab, task)}.`);
}

const learnerRoot = (submission: { kind: string; root?: string }): string | undefined => (submission.kind === 'reference' ? undefined : submission.root);

/**
 * A failure of a service the learner runs (the external backend, theirs to keep) is theirs; of one the suite or
 * a grading worker started (`owned`), ours: it is graded once more on fresh services.
 */
function serviceFault(owned: boolean, message: string, cause: unknown): Error {
  return owned ? new ServiceError(message, { cause }) : new LearnerFailure(message, { cause });
}

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const root = learnerRoot(ctx.submission);
  if (root) {
    const file = learnerCompose(root, 1);
    const service = file.services.find((s) => /dynamodb-local/.test(s.image ?? ''));
    t.evidence('compose', { file: file.name, services: file.services.map((s) => ({ name: s.name, image: s.image, command: s.command.join(' '), ports: s.ports })) });
    judgeCompose(dynamoDbPortProblems(file), 1);
    return `${file.name}: service \`${service?.name}\` runs ${service?.image} with port 8000 published on 8000`;
  }
  const { dynamodb, backend } = ctx.services;
  t.evidence('dynamodb', { endpoint: dynamodb.endpoint, version: dynamodb.version, backend });
  try {
    const out = await ctx.ddb.send(new ListTablesCommand({}));
    t.evidence('tables', out.TableNames ?? []);
  } catch (error) {
    throw serviceFault(ctx.services.owned, `DynamoDB Local at ${dynamodb.endpoint} did not answer ListTables: ${errorMessage(error)}. See ${readmeRef(lab, 1)}.`, error);
  }
  return `DynamoDB Local ${dynamodb.version} answers ListTables at ${dynamodb.endpoint} (backend: ${backend})`;
});

labTask(lab, 2, async (t) => {
  const ctx = await context();
  const root = learnerRoot(ctx.submission);
  if (root) {
    const file = learnerCompose(root, 2);
    judgeCompose(sharedDbProblems(file), 2);
    const service = file.services.find(isDynamoDbLocal);
    if (!service) throw new Error('sharedDbProblems passed a file without a DynamoDB Local service');
    const said = `${file.name}: \`${service.name}\` runs \`${service.command.join(' ')}\``;
    // What the file says, then what that command does when it runs.
    const check = await sharedDbInContainer(service, ctx.config, readmeRef(lab, 2));
    t.evidence('learnerContainer', check);
    return check.ran
      ? `${said}; started from the file in a container (${check.image}), it shares one database across access keys and regions`
      : `${said} (not started in a container: ${check.reason})`;
  }
  const { endpoint } = ctx.services.dynamodb;
  // A second client with other credentials and another region: only -sharedDb lets it see our table.
  const other = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'otherlearner', secretAccessKey: 'otherlearner' },
  });
  try {
    if (!(await sharesOneDatabase(ctx.ddb, other))) {
      throw new LearnerFailure(
        `A table created with one access key is invisible to another: DynamoDB Local at ${endpoint} runs without -sharedDb, ` +
          `so your scripts and the grader see different databases. See ${readmeRef(lab, 2)}.`,
      );
    }
    return 'a table created with one access key and region is visible to another (-sharedDb)';
  } finally {
    other.destroy();
  }
});

labTask(lab, 3, async (t) => {
  const ctx = await context();
  const root = learnerRoot(ctx.submission);
  if (root) {
    const file = learnerCompose(root, 3);
    const expected = expectedPostgres(root, file);
    t.evidence('postgresExpected', { port: expected.port, from: expected.source });
    judgeCompose(postgresProblems(file, expected), 3);
    const service = file.services.find((s) => /postgres/.test(s.image ?? ''));
    return `${file.name}: service \`${service?.name}\` runs ${service?.image} with the password and host port ${expected.port} of ${expected.source}`;
  }
  const { postgres } = ctx.services;
  try {
    return await withClient(postgres.url, (client) => usersTableVerdict(client, postgres, t), { connectTimeoutMs: 5_000 });
  } catch (error) {
    if (!(error instanceof PostgresConnectError)) throw error;
    throw serviceFault(ctx.services.owned, `Postgres at port ${postgres.port} did not accept a connection: ${errorMessage(error)}. See ${readmeRef(lab, 3)}.`, error);
  }
});

/** Task 3 on a connected client: the course's `users` table with its columns. */
async function usersTableVerdict(client: pg.Client, postgres: PostgresFacts, t: TaskRecorder): Promise<string> {
  const columns = await client.query<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'users' ORDER BY ordinal_position`,
  );
  t.evidence('postgres', { version: postgres.version, database: postgres.database, port: postgres.port });
  t.evidence('usersColumns', columns.rows);
  if (columns.rowCount === 0) {
    throw new LearnerFailure(`Database \`${postgres.database}\` has no \`users\` table. Load backend-flask/db/schema.sql. See ${readmeRef(lab, 3)}.`);
  }
  const names = new Set(columns.rows.map((c) => c.column_name));
  const missing = ['uuid', 'display_name', 'handle', 'email', 'cognito_user_id', 'created_at'].filter((c) => !names.has(c));
  if (missing.length > 0) {
    throw new LearnerFailure(`Table \`users\` lacks the course's columns: ${missing.join(', ')}. See ${readmeRef(lab, 3)}.`);
  }
  return `Postgres ${postgres.version} answers; database \`${postgres.database}\` holds \`users\` (${columns.rowCount} columns)`;
}
