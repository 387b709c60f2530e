import { closeSync, readdirSync, readFileSync } from 'node:fs';
import { trace } from '../trace.ts';

const O_CLOEXEC = 0o2000000;
let closedOnce = false;

/**
 * Closes the descriptors this process inherited open across exec (not close-on-exec), beyond stdio and Node's
 * own IPC channel. Node opens its own descriptors close-on-exec, but passes such inherited ones on to every child
 * it starts, and neither bubblewrap nor a plain spawn closes them: a learner's process would hold a descriptor of
 * whatever started the grader (a log, a pipe of its shell) and could write through it. Runs once per process,
 * before its first learner process; returns the descriptors it closed.
 */
export function closeInheritedDescriptors(): number[] {
  if (closedOnce) return [];
  closedOnce = true;
  const channel = Number(process.env.NODE_CHANNEL_FD ?? -1);
  let names: string[];
  try {
    names = readdirSync('/proc/self/fdinfo');
  } catch {
    // No /proc (not Linux): nothing to look at.
    return [];
  }
  const closed: number[] = [];
  for (const name of names) {
    const fd = Number(name);
    if (!Number.isInteger(fd) || fd < 3 || fd === channel) continue;
    let flags: number;
    try {
      const match = /^flags:\s*([0-7]+)$/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
      if (!match?.[1]) continue;
      flags = Number.parseInt(match[1], 8);
    } catch {
      // Gone meanwhile (the listing's own descriptor).
      continue;
    }
    if (flags & O_CLOEXEC) continue;
    try {
      closeSync(fd);
      closed.push(fd);
    } catch {
      // already closed
    }
  }
  if (closed.length > 0) trace('sandbox', `closed descriptors inherited from the grader's parent: ${closed.join(', ')}`);
  return closed;
}
