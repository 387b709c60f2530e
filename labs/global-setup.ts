import type { TestProject } from 'vitest/node';
import '../src/labkit/provided.ts';
import { trace } from '../src/trace.ts';
import type { RunningServices } from '../src/services/start-services.ts';
import type { ServiceFacts } from '../src/services/types.ts';

/** Set by a grading worker: the services it started and owns, handed to its lab runs as they are. */
export const PROVIDED_SERVICES = 'LAB_PROVIDED_SERVICES';

/**
 * The course's side of the database the labs use: the `users` table of week 4, made when missing (a service knows
 * nothing of the course; a grading worker's reset leaves an empty database). Undefined when done, else why not.
 */
async function prepareCourseDatabase(facts: ServiceFacts): Promise<string | undefined> {
  const [{ ensureUsersTable }, { errorMessage }] = await Promise.all([import('../src/course/users.ts'), import('../src/errors.ts')]);
  try {
    await ensureUsersTable(facts.postgres.url);
    return undefined;
  } catch (error) {
    return `Postgres on port ${facts.postgres.port} did not take the course's users table: ${errorMessage(error)}`;
  }
}

/**
 * Starts DynamoDB Local and Postgres once for the whole run. A failure does not abort the run: every task
 * then reports `error` with the reason, and the results file is still written.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  trace('global-setup', 'started');
  const handed = process.env[PROVIDED_SERVICES];
  if (handed) {
    const facts = JSON.parse(handed) as ServiceFacts;
    const problem = await prepareCourseDatabase(facts);
    project.provide('labServices', problem ? null : facts);
    project.provide('labServicesError', problem ?? null);
    return async () => {};
  }
  // Loaded only when this run starts its own services: they cost a second to import.
  const [{ loadConfig }, { errorMessage }, { startServices }] = await Promise.all([
    import('../src/config/load-config.ts'),
    import('../src/errors.ts'),
    import('../src/services/start-services.ts'),
  ]);
  trace('global-setup', 'imported');
  let running: RunningServices | undefined;
  try {
    const config = loadConfig();
    running = await startServices(config, (line) => console.log(`[services] ${line}`));
    const { facts } = running;
    console.log(
      `[services] ${facts.backend}: DynamoDB Local ${facts.dynamodb.version} at ${facts.dynamodb.endpoint}, ` +
        `Postgres ${facts.postgres.version} on port ${facts.postgres.port} (ready in ${facts.startedInMs} ms)`,
    );
    const problem = await prepareCourseDatabase(facts);
    if (problem) throw new Error(problem);
    project.provide('labServices', facts);
    project.provide('labServicesError', null);
  } catch (error) {
    console.error(`[services] could not start: ${errorMessage(error)}`);
    project.provide('labServices', null);
    project.provide('labServicesError', errorMessage(error));
  }
  return async () => {
    await running?.stop();
  };
}
