/**
 * The build's child processes and temporary directories, cleaned up also on Ctrl-C: every child is tracked in
 * `children` and every temporary tree in `temporaryDirs`, so the signal handler can stop and remove them.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { BuildError } from './build-error.ts';

/** Children still running; a child started outside run() (tar piping into docker) is added by its owner. */
export const children = new Set<ChildProcess>();
/** Trees to remove if the run is interrupted; a step adds its tree before creating it and deletes it once done. */
export const temporaryDirs = new Set<string>();
const removals = new Map<string, Promise<void>>();

/** Runs a command; resolves with its output, rejects with its last lines. */
export function run(
  command: string,
  args: string[],
  options: { log?: WriteStream; onLine?: (line: string) => void; stdin?: Readable } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    // A stdin stream (another child's stdout pipe) is handed to the child as its fd: no copying through us.
    const child = spawn(command, args, { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
    children.add(child);
    const tail: string[] = [];
    let output = '';
    let partial = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      options.log?.write(chunk);
      output += text;
      if (output.length > 1_000_000) output = output.slice(-500_000);
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 25) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      children.delete(child);
      reject(new BuildError(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      children.delete(child);
      if (partial) tail.push(partial);
      if (code === 0) resolve(output);
      else reject(new BuildError(`${command} ${args.slice(0, 3).join(' ')}... failed (${signal ?? `exit ${code}`}). Last lines:\n${tail.join('\n')}`));
    });
  });
}

/** Runs a short command to completion: whether it succeeded and its output (stdout then stderr, trimmed). */
export function runSync(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/** Runs a `sh -eu` script inside the root filesystem `rootfs`. */
export function chroot(rootfs: string, script: string): Promise<string> {
  return run('chroot', [rootfs, '/bin/sh', '-euc', script]);
}

/**
 * Removes a tree that debootstrap may have left with /proc or /sys mounted inside; never crosses a mount.
 * Asynchronous on purpose: the event loop stays free to handle a Ctrl-C while a large tree is removed.
 */
export function removeTree(dir: string): Promise<void> {
  const root = path.resolve(dir);
  // The cleanup after Ctrl-C and the build's own `finally` may remove the same tree: share one removal.
  let removal = removals.get(root);
  if (!removal) {
    removal = removeTreeNow(root).finally(() => removals.delete(root));
    removals.set(root, removal);
  }
  return removal;
}

async function removeTreeNow(root: string): Promise<void> {
  if (!existsSync(root)) return;
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) runSync('umount', ['-l', point]);
  await new Promise<void>((resolve) => {
    const rm = spawn('rm', ['-rf', '--one-file-system', root], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    rm.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    rm.once('error', (error) => {
      console.error(`could not remove ${root}: ${error.message}`);
      resolve();
    });
    rm.once('close', (code) => {
      if (code !== 0) console.error(`could not remove ${root}: ${errors.trim()}`);
      resolve();
    });
  });
}

let interrupted = false;

/** Whether Ctrl-C (or SIGTERM) arrived: its handler then finishes the cleanup and exits on its own. */
export const wasInterrupted = (): boolean => interrupted;

/** On SIGINT or SIGTERM: passes the signal to the children, removes the temporary trees and exits with 130. */
export function installInterruptCleanup(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${signal}: stopping and removing temporary files...`);
      for (const child of children) child.kill(signal);
      void (async () => {
        // Wait for debootstrap to unmount what it mounted before removing its tree.
        const deadline = Date.now() + 20_000;
        while (children.size > 0 && Date.now() < deadline) await delay(100);
        await Promise.all([...temporaryDirs].map(removeTree));
        process.exit(130);
      })();
    });
  }
}
