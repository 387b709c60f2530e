import { accessSync, constants, statfsSync } from 'node:fs';
import os from 'node:os';

const TMPFS_MAGIC = 0x01021994;
const MEMORY_FS = '/dev/shm';

/** /dev/shm when it is a writable tmpfs with at least 1 GiB free (a container's is often 64 MB); else undefined. */
export function roomyMemoryFs(): string | undefined {
  try {
    const info = statfsSync(MEMORY_FS);
    if (info.type !== TMPFS_MAGIC || info.bavail * info.bsize < 1024 ** 3) return undefined;
    accessSync(MEMORY_FS, constants.W_OK);
    return MEMORY_FS;
  } catch {
    return undefined;
  }
}

/**
 * Where a Postgres cluster's data goes. A grading worker's own folder when the pool made one (LAB_WORKER_DATA_DIR:
 * the pool removes it when the worker ends, killed or not); else memory (/dev/shm) where there is room: the
 * database is thrown away after the run, and on a disk its files cost most of a start (copying 40 MB takes 0.8 s on
 * this machine's ext4, 0.1 s in memory); else the temporary folder.
 */
export function dataParent(): string {
  return process.env.LAB_WORKER_DATA_DIR || roomyMemoryFs() || os.tmpdir();
}
