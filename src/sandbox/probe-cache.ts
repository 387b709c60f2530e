/**
 * Facts about this machine that cost a process to find out (does bubblewrap work, where is python3), shared
 * with child processes through one environment variable: a grading worker finds them once, and every lab run it
 * starts reads them instead of probing again. Only a cache: a missing or unreadable entry is probed anew. What this
 * process found is also kept in its memory: a test process kept across runs gets each run's environment anew.
 */
const VARIABLE = 'LAB_PROBE_CACHE';
const found = new Map<string, unknown>();

function read(): Record<string, unknown> {
  try {
    const data: unknown = JSON.parse(process.env[VARIABLE] ?? '{}');
    return data && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The cached value of `key`, or what `probe` finds (then cached for this process and its children). */
export function probed<T>(key: string, probe: () => T): T {
  const known = cached<T>(key);
  return known ? known.value : keep(key, probe());
}

/**
 * `probed` for a probe that does not block: a grading worker finds these while its services start, and the
 * synchronous `probed` calls of its lab runs find them cached.
 */
export async function probedAsync<T>(key: string, probe: () => Promise<T>): Promise<T> {
  const known = cached<T>(key);
  return known ? known.value : keep(key, await probe());
}

function cached<T>(key: string): { value: T } | undefined {
  if (found.has(key)) return { value: found.get(key) as T };
  const cache = read();
  if (!(key in cache)) return undefined;
  found.set(key, cache[key]);
  return { value: cache[key] as T };
}

function keep<T>(key: string, value: T): T {
  found.set(key, value);
  process.env[VARIABLE] = JSON.stringify({ ...read(), [key]: value });
  return value;
}
