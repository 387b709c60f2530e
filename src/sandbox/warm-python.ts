import { chmodSync, mkdtempSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { findExecutable } from '../executables.ts';
import { bwrapArgs, WARM_BIN_DIR, WORKSPACE } from './bwrap-args.ts';
import { AWS_SHIM, RESIDENT, RESIDENT_ENVIRONMENT, residentUid } from './python-preloader.ts';
import { removeTree } from './remove-tree.ts';
import { residentProcess, type ProcessOutcome, type ResidentProcess } from './run-process.ts';
import { limitProblem } from './limits.ts';
import { learnerOwner, openBox, outcomeOf, planOf, sandboxEnv, type Box, type LearnerCommand, type SandboxSettings } from './sandbox-box.ts';

/**
 * The resident python3 of one learner repository (python-preloader.ts), in its sandbox, with /workspace its own
 * folder where the repository's copy is moved for each step. It runs the repository's scripts that a step runs by
 * their path: Python ones in a child forked from it, others (bash) executed by such a child; an `aws` they run
 * finds the shim in `shims` first on PATH, and runs warm too.
 */
interface Resident {
  key: string;
  process: ResidentProcess;
  box: Box;
  workspace: string;
  shims: string;
}

type Kind = Pick<LearnerCommand, 'env' | 'timeoutMs' | 'outputLimitBytes' | 'source'> & { repository?: string };

let resident: Resident | undefined;

function discard(unused: Resident): void {
  void unused.process.end().then(() => close(unused));
}

function close(unused: Resident): void {
  unused.box.close();
  for (const dir of [unused.workspace, unused.shims]) {
    removeTree(dir);
    reaper.untrackDirectory(dir);
  }
}

/** Whether the `aws` a step's shell finds is the AWS CLI of the python3 it finds: the one a resident can serve. */
function awsBesidePython(env: NodeJS.ProcessEnv): boolean {
  const aws = findExecutable('aws', env.PATH ?? '');
  const python = findExecutable('python3', env.PATH ?? '');
  try {
    return aws !== undefined && python !== undefined && realpathSync(path.dirname(aws)) === realpathSync(path.dirname(python));
  } catch {
    return false;
  }
}

function start(key: string, command: Kind, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): void {
  const box = openBox(owner);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-workspace-'));
  reaper.trackDirectory(workspace);
  // Root's own folder: the learner's uid may enter it but not rename or remove its copy there.
  chmodSync(workspace, 0o755);
  const shims = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-shims-'));
  reaper.trackDirectory(shims);
  chmodSync(shims, 0o755);
  writeFileSync(path.join(shims, 'aws'), AWS_SHIM, { mode: 0o755 });
  const plan = { ...planOf(box, command, settings, { host: workspace, name: '.' }, '.'), warm: { shims }, dropTo: { ...owner, realUid: residentUid(owner.uid) } };
  const served = awsBesidePython(env) ? { ...env, PATH: `${WARM_BIN_DIR}:${env.PATH ?? ''}` } : env;
  const process = residentProcess('bwrap', bwrapArgs(plan, ['/usr/bin/env', 'python3', '-c', RESIDENT]), { cwd: '/', env: { ...served, [RESIDENT_ENVIRONMENT]: JSON.stringify(served) } });
  resident = { key, process, box, workspace, shims };
}

/**
 * What steps share one resident: the same sandbox, environment, timeout and output cap, and the same repository
 * as handed in. Two learners never share one, so nothing one's steps leave behind reaches another's.
 */
function residentKey(command: Kind, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): string {
  const placeholder: Box = { home: '<home>', supervisor: '<supervisor>', owner, close() {} };
  const plan = planOf(placeholder, command, settings, { host: '<workspace>', name: '.' }, '.');
  return JSON.stringify([bwrapArgs(plan, []), env, command.timeoutMs, command.outputLimitBytes, command.source ?? command.repository]);
}

/**
 * Starts the resident interpreter for the Python steps of commands like `command` unless it runs already: called
 * before a submission's first step (a lab's preparation), so that its imports run while the lab prepares.
 */
export function prestartResident(command: Kind, settings: SandboxSettings): void {
  const owner = learnerOwner(settings);
  if (!settings.warm || !owner) return;
  const env = sandboxEnv(command, settings);
  const key = residentKey(command, env, settings, owner);
  if (resident && resident.key === key && !resident.process.ended) return;
  if (resident) discard(resident);
  start(key, command, env, settings, owner);
}

/**
 * Runs `command`'s script in the resident interpreter of its repository and sandbox: a Python script in Python, any
 * other (`exec`) executed there. Undefined when the step must run cold: no resident of its kind was running (one
 * is started for the next step), or it declined.
 */
export async function runWarm(command: LearnerCommand & { script: { path: string; args: string[] } }, kind: 'python' | 'exec', env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): Promise<ProcessOutcome | undefined> {
  const key = residentKey(command, env, settings, owner);
  const taken = resident;
  if (!taken || taken.key !== key || taken.process.ended) {
    if (taken) discard(taken);
    start(key, command, env, settings, owner);
    return undefined;
  }
  // Its imports finish first (they started with the lab): a cold start would spend that time importing them too.
  if ((await taken.process.ready) !== 'ready' || taken.process.ended) return undefined;
  const name = path.basename(command.repository);
  const placed = path.join(taken.workspace, name);
  try {
    renameSync(command.repository, placed);
  } catch {
    // Not where it was (or on another file system): the cold start names the problem, if there is one.
    return undefined;
  }
  let step;
  try {
    const order = { cwd: path.posix.join(WORKSPACE, name, path.relative(command.repository, command.cwd)), argv: [command.script.path, ...command.script.args], ...(kind === 'exec' ? { exec: true } : {}) };
    step = await taken.process.step(`${JSON.stringify(order)}\n`, { timeoutMs: command.timeoutMs, outputLimitBytes: command.outputLimitBytes });
  } finally {
    renameSync(placed, command.repository);
  }
  const ran = step.told.includes('run');
  let outcome = step.outcome;
  if (!step.done || !step.done.clean) {
    // It ended with the step (a timeout, the output cap, a step that killed it) or could not clean up after it:
    // the next step gets a new one.
    if (resident === taken) resident = undefined;
    await taken.process.end();
    // Ended with the step: the sandbox's supervisor measured it, and tells a sandbox that failed to start.
    if (!step.done) outcome = outcomeOf(outcome, taken.box, settings);
    close(taken);
    if (!resident) start(key, command, env, settings, owner);
  }
  if (!ran) return undefined;
  if (!step.done) return outcome;
  const limit = limitProblem(outcome, settings.limits);
  return limit ? { ...outcome, limit } : outcome;
}

/** Ends the resident interpreter, if any (it ends with this process anyway). */
export async function endResident(): Promise<void> {
  const unused = resident;
  resident = undefined;
  if (!unused) return;
  await unused.process.end();
  close(unused);
}

