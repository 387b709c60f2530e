import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { reaper } from '../services/reaper.ts';

/** A sandbox uid that no other grading process on this machine uses while it is held. */
export interface UidClaim {
  uid: number;
  release(): void;
}

const LOCK_DIR = os.tmpdir();
const lockFile = (uid: number): string => path.join(LOCK_DIR, `cruddur-labs-uid-${uid}.lock`);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims the first free uid from `base` on: a lock file per uid, taken over when the process that held it is
 * gone. Limits such as the process count (RLIMIT_NPROC) are counted per uid across the machine, so two grading
 * runs, or two workers, must never share one: one's process flood would stop the other's scripts.
 */
export function claimUid(base: number, owner: number = process.pid): UidClaim {
  for (let uid = base; uid < base + 10_000; uid++) {
    const file = lockFile(uid);
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch {
      const holder = Number(readFileSafe(file));
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) continue;
      try {
        // Stale: its holder is gone. (Another user's stale lock cannot be removed here; the next uid will do.)
        rmSync(file, { force: true });
        fd = openSync(file, 'wx', 0o644);
      } catch {
        continue;
      }
    }
    writeSync(fd, String(owner));
    closeSync(fd);
    // Killed before its release, the holder would leave the file behind (taken over later, but still litter).
    reaper.trackLock(file, owner);
    return {
      uid,
      release: () => {
        reaper.untrackLock(file);
        if (readFileSafe(file) === String(owner)) rmSync(file, { force: true });
      },
    };
  }
  throw new Error(`no free sandbox uid from ${base} to ${base + 9_999}`);
}

function readFileSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}
