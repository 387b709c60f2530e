import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findExecutable } from '../executables.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { systemEntries } from './host.ts';
import { probed } from './probe-cache.ts';

export const SANDBOX_CHOICES = ['auto', 'namespaces', 'none'] as const;
export type SandboxChoice = (typeof SANDBOX_CHOICES)[number];

/** Whether learner code can run in namespaces here, and with what; or why not. */
export type SandboxSupport =
  | { mode: 'namespaces'; tool: string; privileged: boolean }
  | { mode: 'none'; reason: string };

const INSTALL = 'install bubblewrap (`apt-get install bubblewrap`)';

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}

function probe(uid: number): SandboxSupport {
  const version = spawnSync('bwrap', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  if (version.error || version.status !== 0) return { mode: 'none', reason: `bubblewrap (bwrap) is not installed; ${INSTALL}` };
  const tool = version.stdout.trim() || 'bubblewrap';
  const privileged = process.getuid?.() === 0;
  for (const needed of privileged ? ['setpriv', 'prlimit'] : ['prlimit']) {
    if (!findExecutable(needed)) return { mode: 'none', reason: `\`${needed}\` (util-linux) is missing; install util-linux` };
  }
  // The worker's own network namespace (only loopback, brought up by bubblewrap).
  const net = spawnSync('bwrap', ['--dev-bind', '/', '/', '--unshare-net', ...(privileged ? [] : ['--unshare-user']), '--', 'true'], { encoding: 'utf8', timeout: 15_000 });
  if (net.status !== 0) {
    return { mode: 'none', reason: `bubblewrap cannot make a network namespace here (${lastLine(net.stderr) || `exit ${net.status}`}); as an ordinary user this needs unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1), or run the grader as root` };
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cruddur-labs-probe-'));
  try {
    const plan = {
      system: systemEntries(),
      readOnly: [],
      hidden: [],
      repository: { host: dir, name: 'probe' },
      cwd: '.',
      home: dir,
      ...(privileged ? { dropTo: { uid, gid: uid } } : {}),
      limits: { processes: 16, memoryMb: 512, fileSizeMb: 1, cpuSeconds: 5 },
    };
    const run = spawnSync('bwrap', bwrapArgs(plan, ['true']), { encoding: 'utf8', timeout: 15_000 });
    if (run.status !== 0) return { mode: 'none', reason: `bubblewrap could not start a sandboxed process (${lastLine(run.stderr) || `exit ${run.status}`})` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { mode: 'namespaces', tool, privileged };
}


/**
 * Decides how learner code runs: `namespaces` when bubblewrap works here (as root, or as a user where
 * unprivileged user namespaces are allowed), else `none` with the reason. `auto` takes what works; an explicit
 * `namespaces` that cannot work is reported by the caller as a setup problem.
 */
export function detectSandbox(choice: SandboxChoice, uid: number): SandboxSupport {
  if (choice === 'none') return { mode: 'none', reason: 'turned off with LAB_SANDBOX=none' };
  return probed(`sandbox:${process.getuid?.() ?? ''}`, () => probe(uid));
}
