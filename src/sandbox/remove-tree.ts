import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

/**
 * Removes a directory learner code wrote into, never throwing: a learner may leave folders without write
 * permission (`chmod 500`), which a plain recursive remove cannot delete as an ordinary user. Returns why it
 * could not, for a log line.
 */
export function removeTree(dir: string): string | undefined {
  try {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  } catch {
    spawnSync('chmod', ['-R', 'u+rwX', dir], { timeout: 60_000 });
    try {
      rmSync(dir, { recursive: true, force: true });
      return undefined;
    } catch (error) {
      return `could not remove ${dir}: ${(error as Error).message}`;
    }
  }
}
