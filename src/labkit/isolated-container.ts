import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import os from 'node:os';
import { Duplex } from 'node:stream';
import { runProcess } from '../sandbox/run-process.ts';
import { CONTAINER_LABEL } from '../services/containers/label.ts';
import { reaper } from '../services/reaper.ts';

/**
 * A learner's own service (from their compose file) run by a lab in a container that has no network at all:
 * nothing it does can leave the machine, and it needs no free host port. The lab talks to it through
 * `docker exec` (bash's /dev/tcp inside the container relays one HTTP request per exec), which works from a
 * grading worker's own network namespace too, where a published port would not be reachable.
 */

const CLI_TIMEOUT_MS = 60_000;

/** Tells a learner's service apart from the suite's own containers (both carry CONTAINER_LABEL). */
export const ROLE_LABEL = 'io.cruddur-labs.role';

async function docker(args: string[], timeoutMs = CLI_TIMEOUT_MS): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const outcome = await runProcess('docker', args, { cwd: os.tmpdir(), env: process.env, timeoutMs, outputLimitBytes: 1024 * 1024 });
  const problem = outcome.spawnError ?? (outcome.timedOut ? `docker ${args[0]} did not finish within ${timeoutMs} ms` : undefined);
  return { ok: outcome.exitCode === 0 && !problem, stdout: outcome.stdout, stderr: problem ?? outcome.stderr };
}

/** Why no container can be run here (no docker CLI, no engine answering), or undefined when one can. */
export async function dockerProblem(): Promise<string | undefined> {
  // Where no engine was ever set up, say so without starting the docker command.
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return 'no Docker engine answers (no /var/run/docker.sock, no DOCKER_HOST)';
  const version = await docker(['version', '--format', '{{.Server.Version}}'], 15_000);
  if (version.ok) return undefined;
  const why = version.stderr.trim().split('\n').at(-1) || 'no answer';
  return /ENOENT/.test(why) ? 'the docker command is not installed' : `no Docker engine answers (${why})`;
}

/** The first of `images` present on the engine; images are never pulled (a lab reaches no registry). */
export async function firstLocalImage(images: readonly string[]): Promise<string | undefined> {
  for (const image of [...new Set(images)]) {
    if ((await docker(['image', 'inspect', '--format', '{{.Id}}', image], 15_000)).ok) return image;
  }
  return undefined;
}

export interface IsolatedRun {
  image: string;
  /** The arguments after the image (a compose service's `command`). */
  command: string[];
  workingDir?: string;
  /** Container paths that get an empty, writable tmpfs (where a compose file mounted its volumes). */
  tmpfs: string[];
  memoryMb: number;
  processes: number;
}

/** `docker run` arguments: no network, no host files, bounded memory and processes, labelled as ours. */
export function isolatedRunArgs(run: IsolatedRun, owner: string): string[] {
  return [
    'run',
    '--detach',
    '--pull',
    'never',
    '--network',
    'none',
    // Java looks its own host name up; with no network only `localhost` resolves.
    '--hostname',
    'localhost',
    '--label',
    `${CONTAINER_LABEL}=${owner}`,
    '--label',
    `${ROLE_LABEL}=learner-service`,
    '--memory',
    `${run.memoryMb}m`,
    '--pids-limit',
    String(run.processes),
    // A command that spins (java takes -XX:OnError=...) leaves the other core to the grader until the lab's deadline.
    '--cpus',
    '1',
    '--security-opt',
    'no-new-privileges',
    ...(run.workingDir ? ['--workdir', run.workingDir] : []),
    ...run.tmpfs.flatMap((target) => ['--tmpfs', target]),
    run.image,
    ...run.command,
  ];
}

export interface IsolatedContainer {
  id: string;
  /** Whether its main process still runs (throws when the engine cannot say). */
  running(): Promise<boolean>;
  /** The last lines of its output. */
  logs(lines?: number): Promise<string>;
  /** An AWS SDK request handler that reaches `port` inside the container. */
  requestHandler(port: number): ContainerRequestHandler;
  remove(): Promise<void>;
}

/** Starts the container; throws with the engine's words when it cannot be created. */
export async function startIsolated(run: IsolatedRun): Promise<IsolatedContainer> {
  const started = await docker(isolatedRunArgs(run, String(process.pid)));
  const id = started.stdout.trim().split('\n').at(-1) ?? '';
  if (!started.ok || !/^[0-9a-f]{12,}$/.test(id)) {
    // A container may exist although `run` failed (created, then it could not start).
    if (/^[0-9a-f]{12,}$/.test(id)) await docker(['rm', '--force', id]);
    throw new Error(`docker run ${run.image} failed: ${started.stderr.trim().split('\n').slice(-3).join(' ')}`);
  }
  // Removed by the reaper too if this process is killed before `remove`.
  reaper.trackContainer(id);
  return {
    id,
    running: async () => {
      const state = await docker(['inspect', '--format', '{{.State.Running}}', id], 15_000);
      if (!state.ok) throw new Error(`docker inspect ${id.slice(0, 12)} failed: ${state.stderr.trim()}`);
      return state.stdout.trim() === 'true';
    },
    logs: async (lines = 20) => {
      const out = await docker(['logs', '--tail', String(lines), id], 15_000);
      return `${out.stdout}${out.stderr}`.trim();
    },
    requestHandler: (port) => new ContainerRequestHandler(id, port),
    remove: async () => {
      await docker(['rm', '--force', '--volumes', id]);
      reaper.untrackContainer(id);
    },
  };
}

/** One TCP connection to `port` inside the container, carried over `docker exec`'s standard streams. */
function execRelay(id: string, port: number): Duplex {
  const script = `exec 3<>/dev/tcp/127.0.0.1/${port} || exit 7; cat <&3 & cat >&3; wait`;
  const child = spawn('docker', ['exec', '--interactive', id, 'bash', '-c', script], { stdio: ['pipe', 'pipe', 'ignore'] });
  const { stdin, stdout } = child;
  // Ending the relay (the response read, `Connection: close`) ends the exec; that is how a relay ends, not a failure.
  stdin.on('error', () => {});
  stdout.on('error', () => {});
  const relay = new Duplex({
    read: () => stdout.resume(),
    write: (chunk: Buffer, _encoding, done) => stdin.write(chunk, done),
    final: (done) => stdin.end(done),
    destroy: (error, done) => {
      stdin.destroy();
      stdout.destroy();
      if (child.exitCode === null) child.kill();
      done(error);
    },
  });
  stdout.on('data', (chunk: Buffer) => {
    if (!relay.push(chunk)) stdout.pause();
  });
  stdout.once('end', () => relay.push(null));
  child.once('error', (error) => relay.destroy(error));
  // Node's HTTP client tunes its socket; a relay has nothing to tune.
  const socketLike = relay as Duplex & Record<string, unknown>;
  for (const method of ['setTimeout', 'setNoDelay', 'setKeepAlive', 'ref', 'unref']) socketLike[method] = () => relay;
  return relay;
}

interface SdkRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * The AWS SDK's HttpHandler contract (handle one signed request, answer with status, headers and a body
 * stream), over `execRelay`: one `docker exec` per request, `Connection: close`.
 */
export class ContainerRequestHandler {
  constructor(
    private readonly id: string,
    private readonly port: number,
  ) {}

  async handle(request: SdkRequest): Promise<{ response: { statusCode: number; reason?: string; headers: Record<string, string>; body: http.IncomingMessage } }> {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value ?? '']) query.append(key, item);
    }
    const search = query.toString();
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(
        {
          method: request.method,
          path: `${request.path}${search ? `?${search}` : ''}`,
          headers: { ...request.headers, connection: 'close' },
          createConnection: () => execRelay(this.id, this.port) as unknown as Socket,
        },
        resolve,
      );
      req.once('error', reject);
      const body = request.body;
      if (typeof body === 'string' || body instanceof Uint8Array) req.end(body);
      else req.end();
    });
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(response.headers)) if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(', ') : value;
    return { response: { statusCode: response.statusCode ?? 0, reason: response.statusMessage, headers, body: response } };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
