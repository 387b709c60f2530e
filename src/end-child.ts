import type { ChildProcess } from 'node:child_process';

/**
 * Sends `signal` to `child` and resolves once it has exited, killed (SIGKILL) if it is still there after `graceMs`.
 * A child that has exited already is left as it is.
 */
export async function endChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  child.kill(signal);
  await exited;
  clearTimeout(killer);
}
