import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FAKE_AWS } from '../../../src/config/versions.ts';
import { ServiceError } from '../../../src/errors.ts';
import { freePort } from '../../../src/services/ports.ts';
import { reaper } from '../../../src/services/reaper.ts';
import { LogTail, waitUntil } from '../../../src/services/wait-until.ts';

/** A running DynamoDB Admin: where it answers, how it was started, and how to stop it. */
export interface AdminUi {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** The command as a person would type it (for the journal). */
  command: string;
  version: string;
  startedInMs: number;
  log(): string;
  stop(): Promise<void>;
}

function locatePackage(): { bin: string; version: string } {
  const manifest = createRequire(import.meta.url).resolve('dynamodb-admin/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string; bin: Record<string, string> };
  const bin = pkg.bin['dynamodb-admin'];
  if (!bin) throw new Error('the dynamodb-admin package declares no dynamodb-admin command');
  return { bin: path.join(path.dirname(manifest), bin), version: pkg.version };
}

/**
 * Starts DynamoDB Admin (npm `dynamodb-admin`) on a free port of 127.0.0.1 against `dynamodbEndpoint`, with
 * fake credentials only. The process is tracked by the reaper; ready once its HTTP server answers.
 */
export async function startAdminUi(options: { dynamodbEndpoint: string; timeoutMs: number }): Promise<AdminUi> {
  let located: { bin: string; version: string };
  try {
    located = locatePackage();
  } catch (error) {
    throw new ServiceError('The npm package dynamodb-admin is not installed; run `npm ci` in the lab suite.', { cause: error });
  }
  const port = await freePort();
  const started = Date.now();
  const log = new LogTail(60);
  // A clean environment: the suite's fake credentials, never a real AWS_* variable of whoever runs the labs.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    // The AWS SDK's Node-version notice would fill the log the journal shows.
    NODE_NO_WARNINGS: '1',
    DYNAMO_ENDPOINT: options.dynamodbEndpoint,
    AWS_ACCESS_KEY_ID: FAKE_AWS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_AWS.secretAccessKey,
    AWS_REGION: FAKE_AWS.region,
    HOST: '127.0.0.1',
    PORT: String(port),
  };
  const child = spawn(process.execPath, [located.bin, '--host', '127.0.0.1', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  reaper.trackProcess(child.pid, 'SIGKILL');
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `DynamoDB Admin exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`;
  });
  child.once('error', (error) => {
    exited = `DynamoDB Admin could not start: ${error.message}`;
  });
  child.stdout.on('data', (chunk: Buffer) => log.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => log.push(chunk));

  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await gone;
      clearTimeout(timer);
    }
    reaper.untrackProcess(child.pid);
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    // Any HTTP answer means the server is up; whether it can read DynamoDB is what the tasks check.
    await waitUntil(
      async () => {
        const response = await fetch(`${url}/assets/css/bootstrap.min.css`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        return response.status;
      },
      { timeoutMs: options.timeoutMs, intervalMs: 100, abandon: () => exited },
    );
  } catch (error) {
    await stop();
    throw new ServiceError(
      `DynamoDB Admin (port ${port}) did not answer: ${(error as Error).message}.\nLast lines of its log:\n${log.text() || '(empty)'}`,
      { cause: error },
    );
  }
  return {
    url,
    command: `DYNAMO_ENDPOINT=${options.dynamodbEndpoint} dynamodb-admin --host 127.0.0.1 --port ${port}`,
    version: located.version,
    startedInMs: Date.now() - started,
    log: () => log.text(),
    stop,
  };
}
