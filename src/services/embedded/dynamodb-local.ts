import { spawnSync } from 'node:child_process';
import { ServiceError } from '../../errors.ts';
import { claimPort } from '../ports.ts';
import { probeDynamoDb } from '../probes.ts';
import type { DynamoDbFacts, ServiceHandle } from '../types.ts';
import { waitUntil } from '../wait-until.ts';
import { dropUnusableArchive, refuseClasses } from './dynamodb-classes.ts';
import { spawnDynamoDbLocal, stopDynamoDbLocal, takePrestarted, type DynamoDbProcess } from './dynamodb-process.ts';

export { findDynamoDbLocalJar } from './dynamodb-process.ts';

/** Whether `java` runs here; returns its first version line or undefined. */
export function javaVersion(java: string): string | undefined {
  const result = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error || result.status !== 0) return undefined;
  return (result.stderr || result.stdout).split('\n')[0]?.trim();
}

/** Where the embedded backend serves DynamoDB Local on `port` (a grading worker predicts its services by it). */
export function embeddedDynamoDbEndpoint(port: number): string {
  return `http://127.0.0.1:${port}`;
}

export async function startEmbeddedDynamoDb(options: {
  java: string;
  jar: string;
  port: number | undefined;
  timeoutMs: number;
  /** Where DynamoDB Local's class archive is kept (dynamodb-classes.ts); none without. */
  cacheDir?: string;
}): Promise<ServiceHandle<DynamoDbFacts>> {
  // A JVM a grading worker started first thing is adopted; otherwise the port is checked and a JVM started here.
  const adopted = takePrestarted(options.java, options.port);
  const port = adopted && options.port !== undefined ? options.port : await claimPort(options.port, 'DynamoDB Local', 'LAB_DYNAMODB_PORT');
  const endpoint = embeddedDynamoDbEndpoint(port);
  let running = adopted ?? spawnDynamoDbLocal(options.java, options.jar, port, options.cacheDir);
  let problem = await answers(running, endpoint, options.timeoutMs);
  if (problem?.exited && running.classes.options.length > 0) {
    // A JVM that ended at once with the class archive's options (dynamodb-classes.ts), started again without them.
    const refused = running.classes;
    await stopDynamoDbLocal(options.java, running);
    running = spawnDynamoDbLocal(options.java, options.jar, port, options.cacheDir, false);
    problem = await answers(running, endpoint, options.timeoutMs);
    if (!problem) refuseClasses(refused);
  }
  const started = running;
  const stop = (): Promise<void> => stopDynamoDbLocal(options.java, started);
  if (problem) {
    await stop();
    throw new ServiceError(
      `DynamoDB Local (embedded, port ${port}) did not become ready: ${problem.message}.\nLast lines of its log:\n${started.log.text() || '(empty)'}`,
      { cause: problem.error },
    );
  }
  const { child, log } = started;
  const version = log.find(/^Version:\s*(\S+)/)?.[1] ?? 'unknown';
  dropUnusableArchive(started.classes, log.text());
  child.stdout?.removeAllListeners('data').resume();
  child.stderr?.removeAllListeners('data').resume();
  return { facts: { endpoint, port, version }, stop };
}

/** Waits until the JVM answers; what went wrong otherwise, and whether it ended before it answered. */
async function answers(running: DynamoDbProcess, endpoint: string, timeoutMs: number): Promise<{ message: string; exited: boolean; error: unknown } | undefined> {
  const { child } = running;
  let exited: string | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    exited = `exited early (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  };
  if (child.exitCode !== null || child.signalCode !== null) onExit(child.exitCode, child.signalCode);
  else child.once('exit', onExit);
  child.once('error', (error) => {
    exited = `could not start: ${error.message}`;
  });
  try {
    await waitUntil(() => probeDynamoDb(endpoint, 1_000), { timeoutMs, abandon: () => exited });
    return undefined;
  } catch (error) {
    return { message: (error as Error).message, exited: exited !== undefined, error };
  } finally {
    child.off('exit', onExit);
  }
}
