import { chownSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { SANDBOX_HOME, SUPERVISOR_DIR, type SandboxPlan } from './bwrap-args.ts';
import type { SandboxSupport } from './detect.ts';
import { toolDirs, systemEntries } from './host.ts';
import { limitProblem, type SandboxLimits } from './limits.ts';
import { removeTree } from './remove-tree.ts';
import type { ProcessOutcome } from './run-process.ts';

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
  /**
   * Whether a learner's Python script may run in its repository's resident interpreter (see warm-python.ts).
   * Only as root, where the sandbox's /workspace is the suite's and learner code cannot move its copy out of it.
   */
  warm?: boolean;
}

/** One learner process: a command in a directory of its private copy of the repository. */
export interface LearnerCommand {
  file: string;
  args: string[];
  /** The private copy of the repository (host path). */
  repository: string;
  /** The repository as handed in (host path), when the copy is of one: its Python steps share a resident interpreter. */
  source?: string;
  /** The working directory (host path inside `repository`). */
  cwd: string;
  /** Its environment; HOME is set here. */
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  outputLimitBytes: number;
  /** Set when the command runs a script of the repository by its path: the path (relative to cwd) and arguments. */
  script?: { path: string; args: string[] };
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

/** The unprivileged uid and gid learner code runs as: set only where the sandbox runs as root. */
export function learnerOwner(settings: SandboxSettings): { uid: number; gid: number } | undefined {
  return settings.support.mode === 'namespaces' && settings.support.privileged ? { uid: settings.uid, gid: settings.uid } : undefined;
}

export function makeHome(owner: { uid: number; gid: number } | undefined): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-home-'));
  reaper.trackDirectory(home);
  if (owner) chownSync(home, owner.uid, owner.gid);
  return home;
}

/** A sandbox's own host directories: its home and its supervisor's; `close` removes them. */
export interface Box {
  home: string;
  supervisor: string;
  owner: { uid: number; gid: number } | undefined;
  close(): void;
}

export function openBox(owner: { uid: number; gid: number } | undefined): Box {
  const home = makeHome(owner);
  const supervisor = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-supervisor-'));
  reaper.trackDirectory(supervisor);
  return {
    home,
    supervisor,
    owner,
    close() {
      for (const dir of [supervisor, home]) {
        removeTree(dir);
        reaper.untrackDirectory(dir);
      }
    },
  };
}

/** The sandbox plan of a process in `box` with `repository` at /workspace/<name> (or at /workspace, name `.`). */
export function planOf(box: Box, command: Pick<LearnerCommand, 'env'>, settings: SandboxSettings, repository: SandboxPlan['repository'], cwd: string): SandboxPlan {
  const { owner } = box;
  return {
    system: systemEntries(),
    readOnly: toolDirs(command.env),
    mounted: settings.mounted,
    // bash's `times` reports the CPU the learner's process tree used (what the benchmark splits off the
    // suite's). Only as root: there it runs before the uid is dropped, out of the learner's reach; as an ordinary
    // user it would share the learner's uid, and a `kill -9 -1` would take the step down with it.
    // Its first act also tells that the sandbox was set up, so that a learner's script printing `bwrap: ...` can
    // never pass its own failure off as the grader's.
    ...(owner ? { supervisor: { dir: box.supervisor, wrapper: ['bash', '-c', `: > ${SUPERVISOR_DIR}/${STARTED_FILE}; "$@"; status=$?; times > ${SUPERVISOR_DIR}/${CPU_FILE}; exit $status`, 'bash'] } } : {}),
    hidden: settings.hidden,
    repository,
    cwd,
    home: box.home,
    ...(owner ? { dropTo: owner } : {}),
    limits: settings.limits,
  };
}

/** A sandboxed run's outcome as the learner's: its CPU, the sandbox's own failures told apart, the limit it hit. */
export function outcomeOf(run: ProcessOutcome, box: Box, settings: SandboxSettings): ProcessOutcome {
  const cpuMs = childCpuMs(path.join(box.supervisor, CPU_FILE));
  const started = box.owner ? existsSync(path.join(box.supervisor, STARTED_FILE)) : undefined;
  const outcome = cpuMs === undefined ? run : { ...run, cpuMs };
  // bubblewrap's own failures (before the learner's command ran) are ours, not the learner's. As root the
  // supervisor says whether the command started; as an ordinary user, bubblewrap's exit 1 and message tell.
  const bwrapMessage = outcome.stderr.match(/^bwrap: .*/)?.[0];
  const setup = started === false ? (bwrapMessage ?? `bubblewrap exited ${outcome.exitCode ?? outcome.signal}`) : started === undefined && outcome.exitCode === 1 && outcome.stdout === '' ? bwrapMessage : undefined;
  if (setup && !outcome.timedOut) return { ...outcome, spawnError: `the sandbox could not start the command: ${setup}` };
  const limit = limitProblem(outcome, settings.limits);
  return limit ? { ...outcome, limit } : outcome;
}

/** The environment a sandboxed process gets: paths the learner's environment names on the host, as it sees them. */
export function sandboxEnv(command: Pick<LearnerCommand, 'env'>, settings: SandboxSettings): NodeJS.ProcessEnv {
  const inside = (value: string | undefined): string | undefined =>
    value && settings.mounted.reduce((text, m) => text.split(m.host).join(m.inside), value);
  const env: NodeJS.ProcessEnv = { ...command.env, HOME: SANDBOX_HOME, PYTHONPATH: inside(command.env.PYTHONPATH) };
  if (env.PYTHONPATH === undefined) delete env.PYTHONPATH;
  // No TMPDIR: the host's names a folder the sandbox does not have, and without one every tool uses /tmp, the
  // sandbox's own. (A resident interpreter, started with two uids, would lose it: the C library drops it then.)
  delete env.TMPDIR;
  return env;
}

