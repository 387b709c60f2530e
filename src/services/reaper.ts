import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Guarantees that processes, directories and lock files we create do not outlive us, also when the test run is
 * killed: a watchdog child holds a pipe to us and cleans up when the pipe closes.
 */
class Reaper {
  private child: ChildProcess | undefined;

  private send(line: string): void {
    if (!this.child) {
      const script = fileURLToPath(new URL('./reaper-child.mjs', import.meta.url));
      this.child = spawn(process.execPath, [script], { stdio: ['pipe', 'ignore', 'ignore'] });
      this.child.unref();
      const stdin = this.child.stdin as unknown as { unref?: () => void };
      stdin.unref?.();
      this.child.stdin?.on('error', () => {});
    }
    this.child.stdin?.write(`${line}\n`);
  }

  trackProcess(pid: number | undefined, signal: NodeJS.Signals = 'SIGTERM'): void {
    if (pid) this.send(`track ${pid} ${signal}`);
  }

  untrackProcess(pid: number | undefined): void {
    if (pid && this.child) this.send(`untrack ${pid}`);
  }

  trackDirectory(dir: string): void {
    this.send(`dir ${dir}`);
  }

  untrackDirectory(dir: string): void {
    if (this.child) this.send(`undir ${dir}`);
  }

  /** A lock file that holds `owner` (a pid): removed after us, unless someone took it over by then. */
  trackLock(file: string, owner: number): void {
    this.send(`lock ${owner} ${file}`);
  }

  untrackLock(file: string): void {
    if (this.child) this.send(`unlock ${file}`);
  }

  trackContainer(id: string): void {
    this.send(`container ${id}`);
  }

  untrackContainer(id: string): void {
    if (this.child) this.send(`uncontainer ${id}`);
  }
}

export const reaper = new Reaper();
