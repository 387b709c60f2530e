import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Whether `file` is a regular file that really lies inside `root`. The grader reads some of a learner's files
 * itself (schema.sql, seed.sql, cruddur-labs.json), outside the sandbox: a symlink to /etc/shadow or to a
 * classmate's repository must read as no file at all.
 */
export function isFileInside(root: string, file: string): boolean {
  try {
    const real = realpathSync(file);
    const base = realpathSync(root);
    return (real === base || real.startsWith(`${base}${path.sep}`)) && lstatSync(real).isFile();
  } catch {
    return false;
  }
}
