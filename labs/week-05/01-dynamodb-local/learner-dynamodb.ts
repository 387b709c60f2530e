import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { DeleteTableCommand, DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { LabConfig } from '../../../src/config/load-config.ts';
import { OFFLINE_IMAGES } from '../../../src/config/versions.ts';
import { errorMessage, LearnerFailure, ServiceError } from '../../../src/errors.ts';
import { dockerProblem, firstLocalImage, startIsolated, type IsolatedContainer } from '../../../src/labkit/isolated-container.ts';
import { createScratchTable } from '../../../src/labkit/scratch-table.ts';
import { withTimeout } from '../../../src/services/wait-until.ts';
import { volumeTarget, type ComposeService } from './compose-file.ts';

/** What running the learner's DynamoDB Local service showed, or why it was not run. */
export type ContainerCheck = { ran: true; image: string; command: string; startedInMs: number } | { ran: false; reason: string };

const READY_MS = 30_000;
const REQUEST_MS = 5_000;

/** `-port 8001` in a command: DynamoDB Local then listens there, not on the 8000 the compose file publishes. */
export function commandPort(command: readonly string[]): number | undefined {
  const at = command.indexOf('-port');
  const value = at >= 0 ? Number(command[at + 1]) : NaN;
  return Number.isInteger(value) ? value : undefined;
}

const client = (container: IsolatedContainer, key: string, region: string): DynamoDBClient =>
  new DynamoDBClient({
    endpoint: 'http://localhost:8000',
    region,
    credentials: { accessKeyId: key, secretAccessKey: key },
    requestHandler: container.requestHandler(8000),
    maxAttempts: 1,
  });

const lastLines = (log: string): string => log.split('\n').slice(-12).join('\n');

/**
 * The -sharedDb check: a table `first` creates is listed by `second`, a client with other credentials and another
 * region. Without -sharedDb DynamoDB Local keeps one database per access key and region. The probe table goes again.
 */
export async function sharesOneDatabase(first: DynamoDBClient, second: DynamoDBClient): Promise<boolean> {
  const probe = `cruddur-labs-probe-${randomBytes(4).toString('hex')}`;
  try {
    await createScratchTable(first, probe);
    return ((await second.send(new ListTablesCommand({}))).TableNames ?? []).includes(probe);
  } finally {
    await first.send(new DeleteTableCommand({ TableName: probe })).catch(() => {});
  }
}

/**
 * Runs the learner's DynamoDB Local service as their compose file describes it (their image where present, else
 * the suite's; their command and working directory; an empty tmpfs where they mount volumes) in a container with
 * no network, and checks that a table made with one access key and region is visible to another (-sharedDb).
 * Their command not serving on port 8000, or not sharing, is their failure; an engine that breaks is ours.
 */
export async function sharedDbInContainer(service: ComposeService, config: LabConfig, see: string): Promise<ContainerCheck> {
  if (config.learnerContainers === 'never') return { ran: false, reason: 'LAB_LEARNER_CONTAINERS=never' };
  const unavailable = await dockerProblem();
  if (unavailable) return { ran: false, reason: unavailable };
  const candidates = [service.image, config.dynamodbImage, OFFLINE_IMAGES.dynamodb].filter((i): i is string => Boolean(i));
  const image = await firstLocalImage(candidates);
  if (!image) return { ran: false, reason: `none of the DynamoDB Local images ${candidates.join(', ')} is on the Docker engine (npm run images:offline builds one)` };
  const command = service.command.join(' ');
  if (service.workingDir !== undefined && !service.workingDir.startsWith('/')) {
    throw new LearnerFailure(`\`${service.name}\` sets \`working_dir: ${service.workingDir}\`; Docker needs an absolute path there, such as /home/dynamodblocal. See ${see}.`);
  }
  const started = Date.now();
  let container: IsolatedContainer;
  try {
    container = await startIsolated({
      image,
      command: service.command,
      workingDir: service.workingDir,
      tmpfs: service.volumes.map(volumeTarget).filter((t): t is string => t !== undefined),
      memoryMb: 1024,
      processes: 512,
    });
  } catch (error) {
    throw new ServiceError(`The Docker engine could not start your \`${service.name}\` service (${image}): ${errorMessage(error)}`, { cause: error });
  }
  const first = client(container, 'cruddurlabsone', 'us-east-1');
  const second = client(container, 'cruddurlabstwo', 'eu-west-1');
  try {
    const port = commandPort(service.command);
    if (port !== undefined && port !== 8000) {
      throw new LearnerFailure(`\`${service.name}\` runs \`${command}\`: DynamoDB Local then listens on port ${port} inside its container, but the compose file and the course's scripts use 8000. Drop \`-port ${port}\`. See ${see}.`);
    }
    for (;;) {
      try {
        await withTimeout(first.send(new ListTablesCommand({})), REQUEST_MS, `no answer within ${REQUEST_MS} ms`);
        break;
      } catch (error) {
        if (!(await container.running())) {
          throw new LearnerFailure(
            `Your \`${service.name}\` service, started as your compose file says (\`${command}\` in ${image}), stopped before it answered. Its last lines:\n${lastLines(await container.logs())}\nSee ${see}.`,
          );
        }
        if (Date.now() - started > READY_MS) {
          throw new LearnerFailure(
            `Your \`${service.name}\` service, started as your compose file says (\`${command}\` in ${image}), did not answer on port 8000 within ${READY_MS / 1000} s (${errorMessage(error)}). Its last lines:\n${lastLines(await container.logs())}\nSee ${see}.`,
          );
        }
        await delay(250);
      }
    }
    const startedInMs = Date.now() - started;
    const shared = await withTimeout(sharesOneDatabase(first, second), 3 * REQUEST_MS, `the -sharedDb check did not finish within ${3 * REQUEST_MS} ms`);
    if (!shared) {
      throw new LearnerFailure(
        `Your \`${service.name}\` service, started as your compose file says (\`${command}\`), keeps one database per access key and region: ` +
          `a table made with one key is invisible to another, so your scripts and the grader would see different tables. Run it with \`-sharedDb\`. See ${see}.`,
      );
    }
    return { ran: true, image, command, startedInMs };
  } catch (error) {
    if (error instanceof LearnerFailure) throw error;
    throw new ServiceError(`Your \`${service.name}\` service answered, then a request to it through the Docker engine failed: ${errorMessage(error)}`, { cause: error });
  } finally {
    first.destroy();
    second.destroy();
    await container.remove();
  }
}
