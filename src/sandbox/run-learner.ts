import { chownSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { bwrapArgs, SANDBOX_HOME, SUPERVISOR_DIR, type SandboxPlan } from './bwrap-args.ts';
import type { SandboxSupport } from './detect.ts';
import { toolDirs, systemEntries } from './host.ts';
import { limitProblem, type SandboxLimits } from './limits.ts';
import { removeTree } from './remove-tree.ts';
import { runProcess, type ProcessOutcome } from './run-process.ts';

/** How learner processes are run on this machine: decided once per run, the same for every process. */
export interface SandboxSettings {
  support: SandboxSupport;
  /** The unprivileged uid (and gid) learner code runs as when the grader is root. */
  uid: number;
  limits: SandboxLimits;
  /** Host paths learner code must never see (the class folder, the repository as handed in, the suite). */
  hidden: string[];
  /** Host directories it may read, and where it sees them (the psycopg shim). */
  mounted: Array<{ host: string; inside: string }>;
}

/** One learner process: a command in a directory of its private copy of the repository. */
export interface LearnerCommand {
  file: string;
  args: string[];
  /** The private copy of the repository (host path). */
  repository: string;
  /** The working directory (host path inside `repository`). */
  cwd: string;
  /** Its environment; HOME is set here. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputLimitBytes: number;
}

const CPU_FILE = '.cruddur-labs-cpu-times';
const STARTED_FILE = '.cruddur-labs-started';

/** The children's user + system time from bash's `times` output (its second line), in ms. */
export function childCpuMs(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const times = text.split('\n')[1]?.match(/^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/);
  if (!times) return undefined;
  const [, um, us, sm, ss] = times.map(Number) as [number, number, number, number, number];
  return Math.round(((um ?? 0) * 60 + (us ?? 0) + (sm ?? 0) * 60 + (ss ?? 0)) * 1000);
}

function makeHome(owner: { uid: number; gid: number } | undefined): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-home-'));
  reaper.trackDirectory(home);
  if (owner) chownSync(home, owner.uid, owner.gid);
  return home;
}

/**
 * The one way learner code runs: in the sandbox when namespaces work here, else as a plain child process in
 * its own process group (today's mode, recorded as `none`). Both get a timeout and an output cap; the
 * sandbox adds namespaces, an unprivileged uid and resource limits, and names the limit a process hit.
 */
export async function runLearnerProcess(command: LearnerCommand, settings: SandboxSettings): Promise<ProcessOutcome> {
  const { support } = settings;
  const sandboxed = support.mode === 'namespaces';
  const owner = support.mode === 'namespaces' && support.privileged ? { uid: settings.uid, gid: settings.uid } : undefined;
  const home = makeHome(owner);
  try {
    const options = { timeoutMs: command.timeoutMs, outputLimitBytes: command.outputLimitBytes };
    if (!sandboxed) {
      return await runProcess(command.file, command.args, { ...options, cwd: command.cwd, env: { ...command.env, HOME: home } });
    }
    // Paths the learner's environment names on the host are named as the sandbox shows them.
    const inside = (value: string | undefined): string | undefined =>
      value && settings.mounted.reduce((text, m) => text.split(m.host).join(m.inside), value);
    const env: NodeJS.ProcessEnv = { ...command.env, HOME: SANDBOX_HOME, TMPDIR: '/tmp', PYTHONPATH: inside(command.env.PYTHONPATH) };
    if (env.PYTHONPATH === undefined) delete env.PYTHONPATH;
    const supervisor = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-supervisor-'));
    reaper.trackDirectory(supervisor);
    const plan: SandboxPlan = {
      system: systemEntries(),
      readOnly: toolDirs(command.env),
      mounted: settings.mounted,
      // bash's `times` reports the CPU the learner's process tree used (what the benchmark splits off the
      // suite's). Only as root: there it runs before the uid is dropped, out of the learner's reach; as an ordinary
      // user it would share the learner's uid, and a `kill -9 -1` would take the step down with it.
      // Its first act also tells that the sandbox was set up, so that a learner's script printing `bwrap: ...` can
      // never pass its own failure off as the grader's.
      ...(owner ? { supervisor: { dir: supervisor, wrapper: ['bash', '-c', `: > ${SUPERVISOR_DIR}/${STARTED_FILE}; "$@"; status=$?; times > ${SUPERVISOR_DIR}/${CPU_FILE}; exit $status`, 'bash'] } } : {}),
      hidden: settings.hidden,
      repository: { host: command.repository, name: path.basename(command.repository) },
      cwd: path.relative(command.repository, command.cwd) || '.',
      home,
      ...(owner ? { dropTo: owner } : {}),
      limits: settings.limits,
    };
    let run: ProcessOutcome;
    let cpuMs: number | undefined;
    let started: boolean | undefined;
    try {
      run = await runProcess('bwrap', bwrapArgs(plan, [command.file, ...command.args]), { ...options, cwd: '/', env });
      cpuMs = childCpuMs(path.join(supervisor, CPU_FILE));
      if (owner) started = existsSync(path.join(supervisor, STARTED_FILE));
    } finally {
      removeTree(supervisor);
      reaper.untrackDirectory(supervisor);
    }
    const outcome = cpuMs === undefined ? run : { ...run, cpuMs };
    // bubblewrap's own failures (before the learner's command ran) are ours, not the learner's. As root the
    // supervisor says whether the command started; as an ordinary user, bubblewrap's exit 1 and message tell.
    const bwrapMessage = outcome.stderr.match(/^bwrap: .*/)?.[0];
    const setup = started === false ? (bwrapMessage ?? `bubblewrap exited ${outcome.exitCode ?? outcome.signal}`) : started === undefined && outcome.exitCode === 1 && outcome.stdout === '' ? bwrapMessage : undefined;
    if (setup && !outcome.timedOut) return { ...outcome, spawnError: `the sandbox could not start the command: ${setup}` };
    const limit = limitProblem(outcome, settings.limits);
    return limit ? { ...outcome, limit } : outcome;
  } finally {
    removeTree(home);
    reaper.untrackDirectory(home);
  }
}
