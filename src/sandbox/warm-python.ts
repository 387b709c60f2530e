import { chmodSync, mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { bwrapArgs, WORKSPACE } from './bwrap-args.ts';
import { PRELOADER } from './python-preloader.ts';
import { removeTree } from './remove-tree.ts';
import { holdProcess, type HeldProcess, type ProcessOutcome } from './run-process.ts';
import { openBox, outcomeOf, planOf, sandboxEnv, type Box, type LearnerCommand, type SandboxSettings } from './sandbox-box.ts';

/** A python3 waiting in its sandbox for a script to run, with /workspace its own empty folder until then. */
interface Spare {
  key: string;
  process: HeldProcess;
  box: Box;
  workspace: string;
}

let spare: Spare | undefined;

function discard(unused: Spare): void {
  void unused.process.end().then(() => closeSpare(unused));
}

function closeSpare(unused: Spare): void {
  unused.box.close();
  removeTree(unused.workspace);
  reaper.untrackDirectory(unused.workspace);
}

/** Starts the spare the next Python step of `command`'s kind will take (its imports run while this step runs). */
function startSpare(key: string, command: Pick<LearnerCommand, 'env' | 'timeoutMs' | 'outputLimitBytes'>, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): void {
  const box = openBox(owner);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-workspace-'));
  reaper.trackDirectory(workspace);
  // Root's own folder: the learner's uid may enter it but not rename or remove its copy there.
  chmodSync(workspace, 0o755);
  const plan = planOf(box, command, settings, { host: workspace, name: '.' }, '.');
  const process = holdProcess('bwrap', bwrapArgs(plan, ['/usr/bin/env', 'python3', '-c', PRELOADER]), { timeoutMs: command.timeoutMs, outputLimitBytes: command.outputLimitBytes, cwd: '/', env });
  spare = { key, process, box, workspace };
}

/** The key of the spare a command's Python script can take: the same sandbox, environment, timeout and output cap. */
function spareKey(command: Pick<LearnerCommand, 'env' | 'timeoutMs' | 'outputLimitBytes'>, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): string {
  const placeholder: Box = { home: '<home>', supervisor: '<supervisor>', owner, close() {} };
  return JSON.stringify([bwrapArgs(planOf(placeholder, command, settings, { host: '<workspace>', name: '.' }, '.'), []), env, command.timeoutMs, command.outputLimitBytes]);
}

/**
 * Starts a spare interpreter for the Python steps of commands like `command` unless one waits already: called
 * before a submission's first step (a lab's preparation), so that the first script starts warm too.
 */
export function prestartSpare(command: Pick<LearnerCommand, 'env' | 'timeoutMs' | 'outputLimitBytes'>, settings: SandboxSettings): void {
  const owner = settings.support.mode === 'namespaces' && settings.support.privileged ? { uid: settings.uid, gid: settings.uid } : undefined;
  if (!settings.warm || !owner) return;
  const env = sandboxEnv(command, settings);
  const key = spareKey(command, env, settings, owner);
  if (spare && spare.key === key && !spare.process.ended) return;
  if (spare) discard(spare);
  startSpare(key, command, env, settings, owner);
}

/**
 * Runs `command`'s Python script in the spare interpreter when one of the same sandbox and environment waits, and
 * starts the next spare either way. Undefined when the step must run cold (no spare yet, or it declined).
 */
export async function runWarm(command: LearnerCommand & { script: { path: string; args: string[] } }, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): Promise<ProcessOutcome | undefined> {
  const key = spareKey(command, env, settings, owner);
  const taken = spare;
  spare = undefined;
  if (taken && (taken.key !== key || taken.process.ended)) discard(taken);
  startSpare(key, command, env, settings, owner);
  if (!taken || taken.key !== key || taken.process.ended) return undefined;
  const name = path.basename(command.repository);
  const placed = path.join(taken.workspace, name);
  try {
    renameSync(command.repository, placed);
  } catch {
    // Not where it was (or on another file system): the cold start names the problem, if there is one.
    discard(taken);
    return undefined;
  }
  try {
    const order = { cwd: path.posix.join(WORKSPACE, name, path.relative(command.repository, command.cwd)), argv: [command.script.path, ...command.script.args] };
    const run = await taken.process.begin(`${JSON.stringify(order)}\n`);
    return taken.process.told.split('\n').includes('run') ? outcomeOf(run, taken.box, settings) : undefined;
  } finally {
    renameSync(placed, command.repository);
    closeSpare(taken);
  }
}

/** Ends the waiting spare interpreter, if any (it ends with this process anyway). */
export async function endSpare(): Promise<void> {
  const unused = spare;
  spare = undefined;
  if (!unused) return;
  await unused.process.end();
  closeSpare(unused);
}

