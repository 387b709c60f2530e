import { chmodSync, mkdtempSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { bwrapArgs, WORKSPACE } from './bwrap-args.ts';
import { RESIDENT, RESIDENT_ENVIRONMENT, residentUid } from './python-preloader.ts';
import { removeTree } from './remove-tree.ts';
import { residentProcess, type ProcessOutcome, type ResidentProcess } from './run-process.ts';
import { limitProblem } from './limits.ts';
import { trace } from '../trace.ts';
import { learnerOwner, openBox, outcomeOf, planOf, sandboxEnv, type Box, type LearnerCommand, type SandboxSettings } from './sandbox-box.ts';

/**
 * The resident python3 of one learner repository (python-preloader.ts), in its sandbox, with /workspace its own
 * folder where the repository's copy is moved for each step.
 */
interface Resident {
  key: string;
  process: ResidentProcess;
  box: Box;
  workspace: string;
}

type Kind = Pick<LearnerCommand, 'env' | 'timeoutMs' | 'outputLimitBytes' | 'source'> & { repository?: string };

let resident: Resident | undefined;

function discard(unused: Resident): void {
  void unused.process.end().then(() => close(unused));
}

function close(unused: Resident): void {
  unused.box.close();
  removeTree(unused.workspace);
  reaper.untrackDirectory(unused.workspace);
}

function start(key: string, command: Kind, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): void {
  const box = openBox(owner);
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-workspace-'));
  reaper.trackDirectory(workspace);
  // Root's own folder: the learner's uid may enter it but not rename or remove its copy there.
  chmodSync(workspace, 0o755);
  // A real uid of its own: no process of the learner's uid may signal it (see RESIDENT).
  const plan = { ...planOf(box, command, settings, { host: workspace, name: '.' }, '.'), dropTo: { ...owner, realUid: residentUid(owner.uid) } };
  const process = residentProcess('bwrap', bwrapArgs(plan, ['/usr/bin/env', 'python3', '-c', RESIDENT]), { cwd: '/', env: { ...env, [RESIDENT_ENVIRONMENT]: JSON.stringify(env) } });
  resident = { key, process, box, workspace };
  trace('sandbox', `resident interpreter started for ${path.basename(command.source ?? command.repository ?? '?')}`);
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
 * Runs `command`'s Python script in the resident interpreter of its repository and sandbox. Undefined when the
 * step must run cold: no resident of its kind was running (one is started for the next step), or it declined.
 */
export async function runWarm(command: LearnerCommand & { script: { path: string; args: string[] } }, env: NodeJS.ProcessEnv, settings: SandboxSettings, owner: { uid: number; gid: number }): Promise<ProcessOutcome | undefined> {
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
    const order = { cwd: path.posix.join(WORKSPACE, name, path.relative(command.repository, command.cwd)), argv: [command.script.path, ...command.script.args] };
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

