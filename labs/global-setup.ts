import type { TestProject } from 'vitest/node';
import { loadConfig } from '../src/config/load-config.ts';
import { errorMessage } from '../src/errors.ts';
import '../src/labkit/provided.ts';
import { startServices, type RunningServices } from '../src/services/start-services.ts';

/**
 * Starts DynamoDB Local and Postgres once for the whole run. A failure does not abort the run: every task
 * then reports `error` with the reason, and the results file is still written.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let running: RunningServices | undefined;
  try {
    const config = loadConfig();
    running = await startServices(config, (line) => console.log(`[services] ${line}`));
    const { facts } = running;
    console.log(
      `[services] ${facts.backend}: DynamoDB Local ${facts.dynamodb.version} at ${facts.dynamodb.endpoint}, ` +
        `Postgres ${facts.postgres.version} on port ${facts.postgres.port} (ready in ${facts.startedInMs} ms)`,
    );
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
