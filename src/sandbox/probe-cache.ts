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
  if (found.has(key)) return found.get(key) as T;
  const cache = read();
  const value = key in cache ? (cache[key] as T) : probe();
  found.set(key, value);
  if (!(key in cache)) process.env[VARIABLE] = JSON.stringify({ ...cache, [key]: value });
  return value;
}
