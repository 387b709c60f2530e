import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import path from 'node:path';
import { RESIDENT_NAME } from '../../src/sandbox/python-preloader.ts';
import { FIXTURES, readExpected, type Expected } from './fixtures.ts';

/** What an attack fixture's expected.json says: a fixture's keys, and what its step output must show. */
export interface AttackExpected extends Expected {
  /**
   * Task id → regex (JavaScript, `s` flag) that the recorded output of the learner's step in that task must
   * match: proof that the attack really ran (an attack that silently did nothing would pass for nothing).
   */
  evidence?: Record<string, string>;
}

/** Every attack fixture: `attack/<name>`, each a directory with expected.json. */
export function listAttackFixtures(): string[] {
  const dir = path.join(FIXTURES, 'attack');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory() && existsSync(path.join(dir, name, 'expected.json')))
    .sort()
    .map((name) => `attack/${name}`);
}

export function readAttackExpected(fixture: string): AttackExpected {
  return readExpected(fixture) as AttackExpected;
}

/**
 * One sha256 per file below `root` (relative path, mode, content; a symlink by its target), leaving out the
 * relative paths in `skip` (folders go with everything in them). Sorted by path.
 */
export function fileHashes(root: string, skip: readonly string[] = []): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      if (skip.includes(rel)) continue;
      const stat = lstatSync(full);
      if (stat.isDirectory()) {
        walk(full);
        continue;
      }
      const hash = createHash('sha256').update(`${rel}\0${stat.mode.toString(8)}\0`);
      if (stat.isSymbolicLink()) hash.update(`-> ${readlinkSync(full)}`);
      else if (stat.isFile()) hash.update(readFileSync(full));
      hashes.set(rel, hash.digest('hex'));
    }
  };
  walk(root);
  return new Map([...hashes.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** One sha256 for a whole tree: the sorted per-file hashes of {@link fileHashes} hashed together. */
export function treeHash(hashes: Map<string, string>): string {
  const all = createHash('sha256');
  for (const [rel, hash] of hashes) all.update(`${rel}\0${hash}\n`);
  return all.digest('hex');
}

/** The files that differ between two {@link fileHashes} snapshots: added, removed or changed, by path. */
export function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const paths = new Set([...before.keys(), ...after.keys()]);
  return [...paths]
    .filter((p) => before.get(p) !== after.get(p))
    .map((p) => `${p} (${!before.has(p) ? 'added' : !after.has(p) ? 'removed' : 'changed'})`)
    .sort();
}

/** `pgrep -af <pattern>`: the matching processes as `pid command line`, or none. */
export function pgrep(pattern: string): string[] {
  const run = spawnSync('pgrep', ['-af', pattern], { encoding: 'utf8' });
  return run.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** A process seen while watching: uid, age in seconds, command line. */
export interface SeenProcess {
  pid: number;
  uid: number;
  ageSeconds: number;
  /** The process's name (the kernel's `comm`, at most 15 characters). */
  name: string;
  args: string;
}

/** Every process of this machine as `ps` shows it (`pid uid etimes args`). */
export function listProcesses(): SeenProcess[] {
  // The name is read apart from the command line: it may hold spaces, and `ps` pads it.
  const names = new Map(
    spawnSync('ps', ['-eo', 'pid=,comm='], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((line) => line.trim().match(/^(\d+)\s+(.*)$/))
      .filter((m): m is RegExpMatchArray => m !== null)
      .map((m) => [Number(m[1]), (m[2] ?? '').trim()] as const),
  );
  const run = spawnSync('ps', ['-eo', 'pid=,uid=,etimes=,args='], { encoding: 'utf8' });
  return run.stdout
    .split('\n')
    .map((line) => line.trim().match(/^(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), uid: Number(m[2]), ageSeconds: Number(m[3]), name: names.get(Number(m[1])) ?? '', args: m[4] ?? '' }));
}

export interface WatchedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Processes of the watched uids seen older than the allowed age, each once (by pid). */
  overAge: SeenProcess[];
  /** How many processes of each watched uid were seen (none means the watch saw no learner code). */
  seen: Map<number, number>;
}

/**
 * Runs a command to its end while looking at the machine's processes every `everyMs`: every process whose uid
 * is in `uids` (the sandbox's learner uids, `[from, to)`) must end with its step, so none may be older than
 * `maxAgeSeconds` (the step timeout and a margin). A process left behind by a step shows up here even when it
 * ends by itself before the command does.
 */
export function runWatched(
  file: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; uids: readonly [number, number]; maxAgeSeconds: number; everyMs?: number },
): Promise<WatchedRun> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const overAge = new Map<number, SeenProcess>();
    const seenPids = new Map<number, number>();
    // When the watch first saw each process (by pid and command line): `ps` can read a nonsense age for a process
    // caught while its namespaces are set up, so a process counts as left behind only when the watch itself has
    // seen it for longer than the allowed age.
    const firstSeen = new Map<string, number>();
    const [from, to] = options.uids;
    const look = (): void => {
      const now = Date.now();
      for (const p of listProcesses()) {
        if (p.uid < from || p.uid >= to) continue;
        seenPids.set(p.pid, p.uid);
        const key = `${p.pid} ${p.args}`;
        if (!firstSeen.has(key)) firstSeen.set(key, now);
        const watchedSeconds = (now - (firstSeen.get(key) ?? now)) / 1000;
        // A repository's resident interpreter serves all its steps (it lives while the repository is graded);
        // the processes of each step, forked from it, are named python3 again and must end with their step.
        if (p.name === RESIDENT_NAME) continue;
        if (watchedSeconds > options.maxAgeSeconds && !overAge.has(p.pid)) overAge.set(p.pid, { ...p, ageSeconds: Math.round(watchedSeconds) });
      }
    };
    const timer = setInterval(look, options.everyMs ?? 1_000);
    child.once('close', (status) => {
      clearInterval(timer);
      look();
      resolve({
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        overAge: [...overAge.values()],
        seen: [...seenPids.values()].reduce((counts, uid) => counts.set(uid, (counts.get(uid) ?? 0) + 1), new Map<number, number>()),
      });
    });
  });
}

/** What a step saw of its network, read from the output of the `network-probe` fixture's list-tables. */
export interface NetworkView {
  /** Interface names in `ip -o link`, /proc/net/dev and /proc/net/if_inet6. */
  interfaces: string[];
  /** Lines of `ip route` (empty: no route). */
  ipRoutes: string[];
  /** Rows of /proc/net/route, without its header. */
  procRoutes: Array<{ iface: string; destination: string }>;
  /** Which sections were printed. */
  sections: string[];
}

/** Splits the probe's output into its `== attack network-probe: <name>` sections and reads each. */
export function parseNetworkProbe(output: string): NetworkView {
  const sections = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of output.split('\n')) {
    const header = line.match(/^== attack network-probe: (.+)$/);
    if (header) {
      current = [];
      sections.set((header[1] ?? '').trim(), current);
      continue;
    }
    current?.push(line);
  }
  const lines = (name: string): string[] => (sections.get(name) ?? []).filter((l) => l.trim() !== '');
  const interfaces = new Set<string>();
  for (const l of lines('ip -o link')) {
    const m = l.match(/^\d+:\s+([^:@\s]+)[@:]/);
    if (m?.[1]) interfaces.add(m[1]);
  }
  for (const l of lines('/proc/net/dev').slice(2)) {
    const m = l.match(/^\s*([^:\s]+):/);
    if (m?.[1]) interfaces.add(m[1]);
  }
  for (const l of lines('/proc/net/if_inet6')) {
    const name = l.trim().split(/\s+/).at(-1);
    if (name) interfaces.add(name);
  }
  const procRoutes = lines('/proc/net/route')
    .filter((l) => !/^Iface\s/.test(l))
    .map((l) => l.trim().split(/\s+/))
    .map(([iface = '', destination = '']) => ({ iface, destination }));
  return { interfaces: [...interfaces].sort(), ipRoutes: lines('ip route'), procRoutes, sections: [...sections.keys()] };
}
