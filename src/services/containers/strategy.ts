import type { Readable } from 'node:stream';
import { PostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, ImageName, Wait, getContainerRuntimeClient, type StartedTestContainer } from 'testcontainers';
import { errorMessage, ServiceError } from '../../errors.ts';
import { claimPort } from '../ports.ts';
import { probeDynamoDb, probePostgres } from '../probes.ts';
import { reaper } from '../reaper.ts';
import { startBoth } from '../start-both.ts';
import type { BackendStrategy, DynamoDbFacts, PostgresFacts, ServiceHandle } from '../types.ts';
import type { PostgresAccount } from '../../config/load-config.ts';
import { LogTail, waitUntil, withTimeout } from '../wait-until.ts';
import { postgresUrl } from '../embedded/postgres.ts';
import { CONTAINER_LABEL } from './label.ts';


const ENGINE_TIMEOUT_MS = 15_000;

/** Checks that an image is present, pulling it if the engine can. Returns a reason to decline, or undefined. */
async function imageProblem(image: string, variable: string): Promise<string | undefined> {
  const client = await getContainerRuntimeClient();
  const name = ImageName.fromString(image);
  if (await client.image.exists(name)) return undefined;
  try {
    await withTimeout(client.image.pull(name), 120_000, `pulling ${image} did not answer within 120000 ms`);
    return undefined;
  } catch (error) {
    return (
      `image ${image} is missing and could not be pulled (${errorMessage(error).split('\n')[0]}); ` +
      `build offline images with \`npm run images:offline\` and point ${variable} at them`
    );
  }
}

function track(container: StartedTestContainer): () => Promise<void> {
  const id = container.getId();
  reaper.trackContainer(id);
  return async () => {
    await container.stop({ remove: true, removeVolumes: true, timeout: 2_000 }).catch(() => {});
    reaper.untrackContainer(id);
  };
}

async function startDynamoDbContainer(image: string, port: number | undefined, timeoutMs: number): Promise<ServiceHandle<DynamoDbFacts>> {
  const hostPort = port === undefined ? undefined : await claimPort(port, 'DynamoDB Local', 'LAB_DYNAMODB_PORT');
  const log = new LogTail();
  const container = await new GenericContainer(image)
    // -disableTelemetry: DynamoDB Local 2.x+ phones home by default; nothing may leave this machine.
    .withCommand(['-jar', 'DynamoDBLocal.jar', '-inMemory', '-sharedDb', '-port', '8000', '-disableTelemetry'])
    .withExposedPorts(hostPort === undefined ? 8000 : { container: 8000, host: hostPort })
    .withLabels({ [CONTAINER_LABEL]: String(process.pid) })
    .withLogConsumer((stream: Readable) => stream.on('data', (chunk: Buffer) => log.push(chunk)))
    .withWaitStrategy(Wait.forLogMessage(/Initializing DynamoDB Local/))
    .withStartupTimeout(timeoutMs)
    .start();
  const stop = track(container);
  const mapped = container.getMappedPort(8000);
  const endpoint = `http://127.0.0.1:${mapped}`;
  try {
    await waitUntil(() => probeDynamoDb(endpoint, 1_000), { timeoutMs });
  } catch (error) {
    await stop();
    throw new ServiceError(`DynamoDB Local (container ${image}) did not answer ListTables: ${errorMessage(error)}.\nLast lines of its log:\n${log.text()}`, { cause: error });
  }
  const version = log.find(/^Version:\s*(\S+)/)?.[1] ?? image.split(':')[1] ?? 'unknown';
  return { facts: { endpoint, port: mapped, version }, stop };
}

async function startPostgresContainer(image: string, port: number | undefined, timeoutMs: number, account: PostgresAccount): Promise<ServiceHandle<PostgresFacts>> {
  const hostPort = port === undefined ? undefined : await claimPort(port, 'Postgres', 'LAB_POSTGRES_PORT');
  let builder = new PostgreSqlContainer(image)
    .withDatabase(account.database)
    .withUsername(account.user)
    .withPassword(account.password)
    .withLabels({ [CONTAINER_LABEL]: String(process.pid) })
    .withStartupTimeout(timeoutMs);
  if (hostPort !== undefined) builder = builder.withExposedPorts({ container: 5432, host: hostPort });
  const container = await builder.start();
  const stop = track(container);
  const mapped = container.getMappedPort(5432);
  const url = postgresUrl('127.0.0.1', mapped, account.database, account.user, account.password);
  try {
    await waitUntil(() => probePostgres(url, 1_000), { timeoutMs });
    const version = await probePostgres(url);
    return {
      facts: { url, host: '127.0.0.1', port: mapped, ...account, version },
      stop,
    };
  } catch (error) {
    await stop();
    throw new ServiceError(`Postgres (container ${image}) did not become ready: ${errorMessage(error)}`, { cause: error });
  }
}

/** Official images through testcontainers, when a Docker engine answers and the pinned images are there. */
export const containersStrategy: BackendStrategy = {
  name: 'containers',
  async start(config) {
    // Ryuk's image cannot be pulled on offline machines; our reaper removes our containers instead.
    process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
    // Reach the mapped ports on loopback, never on a bridge address testcontainers might infer.
    process.env.TESTCONTAINERS_HOST_OVERRIDE ??= '127.0.0.1';
    try {
      await withTimeout(getContainerRuntimeClient(), ENGINE_TIMEOUT_MS, `the Docker engine did not answer within ${ENGINE_TIMEOUT_MS} ms`);
    } catch (error) {
      return { kind: 'declined', reason: `no Docker engine answered (${errorMessage(error).split('\n')[0]})` };
    }
    const problems = (
      await Promise.all([imageProblem(config.dynamodbImage, 'LAB_DYNAMODB_IMAGE'), imageProblem(config.postgresImage, 'LAB_POSTGRES_IMAGE')])
    ).filter((p): p is string => p !== undefined);
    if (problems.length > 0) return { kind: 'declined', reason: problems.join('; ') };
    return startBoth(
      () => startDynamoDbContainer(config.dynamodbImage, config.dynamodbPort, config.startupTimeoutMs),
      () => startPostgresContainer(config.postgresImage, config.postgresPort, config.startupTimeoutMs, config.postgresAccount),
    );
  },
};
