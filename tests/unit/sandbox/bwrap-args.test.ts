import { describe, expect, it } from 'vitest';
import { bwrapArgs, type SandboxPlan } from '../../../src/sandbox/bwrap-args.ts';

const plan = (over: Partial<SandboxPlan> = {}): SandboxPlan => ({
  system: [{ path: '/usr' }, { path: '/bin', symlink: 'usr/bin' }, { path: '/etc' }, { path: '/opt' }],
  readOnly: ['/root/.pyenv/versions/3.11.7', '/root/.pyenv/versions/3.11.7/bin', '/usr/lib/python3'],
  hidden: ['/opt/class', '/home/teacher/class'],
  repository: { host: '/tmp/copy-1/alice', name: 'alice' },
  cwd: 'backend-flask',
  home: '/tmp/home-1',
  dropTo: { uid: 61000, gid: 61000 },
  limits: { processes: 64, memoryMb: 1024, fileSizeMb: 8, cpuSeconds: 30 },
  ...over,
});

/** The values that follow each occurrence of `flag`, as tuples of `arity` arguments. */
function occurrences(args: string[], flag: string, arity: number): string[][] {
  const found: string[][] = [];
  args.forEach((arg, i) => {
    if (arg === flag) found.push(args.slice(i + 1, i + 1 + arity));
  });
  return found;
}

describe('bwrapArgs', () => {
  const args = bwrapArgs(plan(), ['bash', '-c', 'echo hi']);
  const setup = args.slice(0, args.indexOf('--'));

  it('shows the system read-only, merged-/usr symlinks as symlinks', () => {
    expect(occurrences(setup, '--ro-bind', 2)).toContainEqual(['/usr', '/usr']);
    expect(occurrences(setup, '--symlink', 2)).toContainEqual(['usr/bin', '/bin']);
    expect(occurrences(setup, '--ro-bind', 2).map(([src]) => src)).not.toContain('/bin');
  });

  it('binds the Python prefix once, not what lies inside it or inside the system', () => {
    const binds = occurrences(setup, '--ro-bind', 2).map(([src]) => src);
    expect(binds).toContain('/root/.pyenv/versions/3.11.7');
    expect(binds).not.toContain('/root/.pyenv/versions/3.11.7/bin');
    expect(binds).not.toContain('/usr/lib/python3');
    // An unprivileged uid can walk to it: every ancestor is made 0755.
    for (const dir of ['/root', '/root/.pyenv', '/root/.pyenv/versions']) expect(args.join(' ')).toContain(`--perms 0755 --dir ${dir}`);
  });

  it('makes only the private copy, the home and tmpfs writable', () => {
    expect(occurrences(setup, '--bind', 2)).toEqual([
      ['/tmp/copy-1/alice', '/workspace/alice'],
      ['/tmp/home-1', '/home/learner'],
    ]);
    expect(occurrences(setup, '--chdir', 1)).toEqual([['/workspace/alice/backend-flask']]);
  });

  it("gives a resident interpreter a real uid of its own, the learner's only as its effective uid", () => {
    const resident = bwrapArgs(plan({ dropTo: { uid: 61000, gid: 61000, realUid: 1061000 } }), ['python3']);
    expect(resident).toEqual(expect.arrayContaining(['--ruid=1061000', '--euid=61000', '--regid=61000']));
    expect(resident.join(' ')).not.toContain('--reuid');
    expect(args).toContain('--reuid=61000');
  });

  it('covers hidden places that lie inside the system directories, and only those', () => {
    expect(occurrences(setup, '--tmpfs', 1).map(([dir]) => dir)).toEqual(['/tmp', '/dev/shm', '/opt/class']);
    expect(occurrences(setup, '--size', 1)).toEqual([[String(8 * 1024 * 1024)], [String(64 * 1024 * 1024)]]);
  });

  it('gives the process its own PID, IPC and UTS namespaces and keeps the caller\'s network', () => {
    for (const flag of ['--unshare-pid', '--unshare-ipc', '--unshare-uts', '--die-with-parent', '--new-session']) expect(setup).toContain(flag);
    expect(setup).not.toContain('--unshare-net');
    expect(setup).not.toContain('--share-net');
  });

  it('as root, drops to the unprivileged uid with no capabilities, then sets limits it cannot raise', () => {
    const command = args.slice(args.indexOf('--') + 1);
    expect(command.slice(0, 7)).toEqual(['setpriv', '--reuid=61000', '--regid=61000', '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--']);
    const prlimit = command.slice(command.indexOf('prlimit'));
    expect(prlimit).toEqual(['prlimit', '--nproc=64', `--as=${1024 * 1024 * 1024}`, `--fsize=${8 * 1024 * 1024}`, '--cpu=30:35', '--core=0', '--', 'bash', '-c', 'echo hi']);
    expect(setup).not.toContain('--unshare-user');
  });

  it('as an ordinary user, uses a user namespace and keeps its uid', () => {
    const user = bwrapArgs(plan({ dropTo: undefined }), ['true']);
    expect(user).toContain('--unshare-user');
    expect(user).not.toContain('setpriv');
    expect(user).not.toContain('--cap-add');
  });
});
