import { spawnSync } from 'node:child_process';

/** The System V shared memory segments there are, each with the pid that made it (`ipcs -m -p`). */
export function sharedMemory(): { id: string; creator: number }[] {
  const listed = spawnSync('ipcs', ['-m', '-p'], { encoding: 'utf8' }).stdout ?? '';
  return listed
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => /^\d+$/.test(fields[0] ?? '') && /^\d+$/.test(fields[2] ?? ''))
    .map((fields) => ({ id: fields[0] as string, creator: Number(fields[2]) }));
}

/** Which of `segments` are still there. */
export function stillThere(segments: { id: string }[]): { id: string }[] {
  const left = new Set(sharedMemory().map((segment) => segment.id));
  return segments.filter((segment) => left.has(segment.id));
}
