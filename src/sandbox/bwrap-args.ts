import path from 'node:path';
import { prlimitArgs, type SandboxLimits } from './limits.ts';

/** Where a learner's repository appears inside the sandbox (Gitpod's layout, which the course used). */
export const WORKSPACE = '/workspace';
/** The learner's home inside the sandbox. */
export const SANDBOX_HOME = '/home/learner';
/** Where the sandbox's supervisor (running before the uid is dropped) keeps what it measures. */
export const SUPERVISOR_DIR = '/run/cruddur-labs';

/** A top-level entry of the host that the sandbox shows read-only (a symlink stays a symlink). */
export interface SystemEntry {
  path: string;
  /** Set when the entry is a symlink (merged /usr: `/bin -> usr/bin`). */
  symlink?: string;
}

/** Everything that decides what a sandboxed process sees and may do. */
export interface SandboxPlan {
  /** Host directories shown read-only at the same path: the system (/usr, /etc, ...). */
  system: SystemEntry[];
  /** More host directories shown read-only at the same path (the Python prefix). */
  readOnly: string[];
  /** Host directories shown read-only at another path (the psycopg shim, so that the suite's path stays unseen). */
  mounted?: Array<{ host: string; inside: string }>;
  /**
   * A host directory only the sandbox's own root process may write, shown at /run/cruddur-labs, and the command
   * that wraps the learner's there (to measure it): it runs before the uid is dropped, so learner code can neither
   * signal it nor touch what it writes.
   */
  supervisor?: { dir: string; wrapper: string[] };
  /** Host directories inside `system` to cover with an empty tmpfs (the class folder, the suite). */
  hidden: string[];
  /** The private copy of the repository: writable, shown at /workspace/<name>. */
  repository: { host: string; name: string };
  /** The step's working directory, relative to the repository. */
  cwd: string;
  /** A writable host directory shown as the home. */
  home: string;
  /**
   * When running as root: the unprivileged uid/gid the process gets. Otherwise it keeps the caller's. With
   * `realUid` (a resident interpreter's sandbox), `uid` is only its effective uid and `realUid` its real one: no
   * process of `uid` may then signal it, and it gives its children `uid` for good.
   */
  dropTo?: { uid: number; gid: number; realUid?: number };
  limits: SandboxLimits;
}

/** The repository's path inside the sandbox. */
export function sandboxRepositoryPath(plan: Pick<SandboxPlan, 'repository'>): string {
  return path.posix.join(WORKSPACE, plan.repository.name);
}

/** `--perms 0755 --dir` for each ancestor of `dir` below `/`, so that an unprivileged uid can walk to it. */
function ancestors(dir: string, made: Set<string>): string[] {
  const parts = path.resolve(dir).split('/').filter(Boolean);
  const args: string[] = [];
  for (let i = 1; i < parts.length; i++) {
    const ancestor = `/${parts.slice(0, i).join('/')}`;
    if (made.has(ancestor)) continue;
    made.add(ancestor);
    args.push('--perms', '0755', '--dir', ancestor);
  }
  return args;
}

/**
 * The bubblewrap command line that runs `command` in the sandbox: an empty root with only the system
 * directories (read-only), the Python it needs, the private copy of the repository, a home and a /tmp of
 * its own; its own PID, IPC and UTS namespaces (every process it starts ends with it); the network
 * namespace of the caller (the grading worker's, where only loopback is up); no capabilities; an
 * unprivileged uid; resource limits that it cannot raise.
 */
export function bwrapArgs(plan: SandboxPlan, command: readonly string[]): string[] {
  const made = new Set<string>();
  const args: string[] = [];
  for (const entry of plan.system) {
    if (entry.symlink !== undefined) args.push('--symlink', entry.symlink, entry.path);
    else args.push('--ro-bind', entry.path, entry.path);
    made.add(entry.path);
  }
  // Sized: a tmpfs is memory, and an unsized one may take half of it.
  const tmpBytes = String(plan.limits.fileSizeMb * 1024 * 1024);
  args.push('--dev', '/dev', '--proc', '/proc', '--perms', '1777', '--size', tmpBytes, '--tmpfs', '/tmp', '--perms', '1777', '--size', String(64 * 1024 * 1024), '--tmpfs', '/dev/shm');
  made.add('/dev').add('/proc').add('/tmp');
  const isSystem = (dir: string): boolean => plan.system.some((e) => dir === e.path || dir.startsWith(`${e.path}/`));
  // What the system shows already needs no bind (and a bind below a read-only mount could not be made).
  const under = (dir: string, parent: string): boolean => dir !== parent && dir.startsWith(`${parent}/`);
  const readOnly = [...new Set(plan.readOnly)].filter((d) => !isSystem(d) && !plan.readOnly.some((other) => under(d, other)));
  for (const dir of readOnly) args.push(...ancestors(dir, made), '--ro-bind', dir, dir);
  // Places inside the system directories that must not be seen (a class folder under /opt).
  for (const dir of plan.hidden.filter(isSystem)) args.push('--tmpfs', dir);
  for (const mount of plan.mounted ?? []) args.push(...ancestors(mount.inside, made), '--ro-bind', mount.host, mount.inside);
  if (plan.supervisor) args.push(...ancestors(SUPERVISOR_DIR, made), '--bind', plan.supervisor.dir, SUPERVISOR_DIR);
  const inside = sandboxRepositoryPath(plan);
  args.push(...ancestors(inside, made), '--bind', plan.repository.host, inside);
  args.push(...ancestors(SANDBOX_HOME, made), '--bind', plan.home, SANDBOX_HOME);
  args.push(
    '--chdir',
    path.posix.join(inside, plan.cwd),
    '--unshare-pid',
    '--unshare-ipc',
    '--unshare-uts',
    '--unshare-cgroup-try',
    '--hostname',
    'cruddur-labs',
    '--die-with-parent',
    '--new-session',
  );
  const drop = plan.dropTo
    ? [
        // As root, bubblewrap keeps no user namespace; setpriv then gives up root for good inside it.
        'setpriv',
        ...(plan.dropTo.realUid === undefined ? [`--reuid=${plan.dropTo.uid}`] : [`--ruid=${plan.dropTo.realUid}`, `--euid=${plan.dropTo.uid}`]),
        `--regid=${plan.dropTo.gid}`,
        '--clear-groups',
        '--inh-caps=-all',
        '--bounding-set=-all',
        '--',
      ]
    : [];
  if (plan.dropTo) args.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID', '--cap-add', 'CAP_SETPCAP');
  else args.push('--unshare-user');
  return [...args, '--', ...(plan.supervisor?.wrapper ?? []), ...drop, 'prlimit', ...prlimitArgs(plan.limits), '--', ...command];
}
