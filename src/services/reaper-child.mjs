// The reaper: a tiny process that outlives a crashed test run. The parent writes the processes,
// directories and lock files it owns to our stdin; when stdin closes (the parent exited, even by SIGKILL), we
// end those processes by their id, remove those directories and the lock files that still hold the owner written
// with them. Signals meant for the parent's group are ignored.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';

const pids = new Map();
const dirs = new Set();
const containers = new Set();
/** Lock files by path, with the owner (a pid) each must still hold to be ours to remove. */
const locks = new Map();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

let buffer = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const [verb, ...rest] = buffer.slice(0, newline).split(' ');
    buffer = buffer.slice(newline + 1);
    const arg = rest.join(' ');
    if (verb === 'track') pids.set(Number(rest[0]), rest[1] || 'SIGTERM');
    else if (verb === 'untrack') pids.delete(Number(arg));
    else if (verb === 'dir') dirs.add(arg);
    else if (verb === 'undir') dirs.delete(arg);
    else if (verb === 'lock') locks.set(rest.slice(1).join(' '), rest[0]);
    else if (verb === 'unlock') locks.delete(arg);
    else if (verb === 'container') containers.add(arg);
    else if (verb === 'uncontainer') containers.delete(arg);
  }
});

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

process.stdin.on('end', () => {
  for (const [pid, signal] of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      pids.delete(pid);
    }
  }
  // Postgres, sent SIGQUIT, gives its backends 5 s before it kills them, then removes its shared memory: it gets
  // longer than that before SIGKILL, which would leave its System V segment behind.
  const deadline = Date.now() + ([...pids.values()].includes('SIGQUIT') ? 10000 : 5000);
  const poll = setInterval(() => {
    for (const pid of pids.keys()) if (!alive(pid)) pids.delete(pid);
    if (pids.size > 0 && Date.now() < deadline) return;
    for (const pid of pids.keys()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    for (const [file, owner] of locks) {
      try {
        if (readFileSync(file, 'utf8').trim() === owner) rmSync(file, { force: true });
      } catch {
        // gone already
      }
    }
    if (containers.size > 0) spawnSync('docker', ['rm', '-f', '-v', ...containers], { stdio: 'ignore', timeout: 30000 });
    clearInterval(poll);
    process.exit(0);
  }, 50);
});
