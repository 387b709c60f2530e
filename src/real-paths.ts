import { realpathSync } from 'node:fs';
import path from 'node:path';

/** Each path and, where it is reached through a symlink, where it really is (a path that does not exist stays as it is). */
export function withRealPaths(paths: readonly string[]): string[] {
  const all = paths.flatMap((p) => {
    const resolved = path.resolve(p);
    try {
      return [resolved, realpathSync(resolved)];
    } catch {
      return [resolved];
    }
  });
  return [...new Set(all)];
}
