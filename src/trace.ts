// Phase timestamps for finding where a run's time goes: `LAB_TRACE=1 npm run grade -- <repo>` prints one line per
// phase on stderr, from every process of the run (grader, workers, lab runs), measured from the run's start.
const T0 = 'LAB_TRACE_T0';

const enabled = (): boolean => Boolean(process.env.LAB_TRACE) && process.env.LAB_TRACE !== '0';

/** The run's start, shared with child processes through the environment. */
function origin(): number {
  const inherited = Number(process.env[T0]);
  if (Number.isFinite(inherited) && inherited > 0) return inherited;
  const now = Math.round(performance.timeOrigin);
  process.env[T0] = String(now);
  return now;
}

/** Notes that a phase was reached (LAB_TRACE set); a no-op otherwise. */
export function trace(where: string, phase: string): void {
  if (!enabled()) return;
  const at = ((Date.now() - origin()) / 1000).toFixed(3).padStart(7);
  process.stderr.write(`[trace ${at}s ${where}] ${phase}\n`);
}

/** Times an async phase (LAB_TRACE set): a line when it ends, with how long it took. */
export async function traced<T>(where: string, phase: string, action: () => Promise<T>): Promise<T> {
  if (!enabled()) return action();
  const started = Date.now();
  try {
    return await action();
  } finally {
    trace(where, `${phase} (${Date.now() - started} ms)`);
  }
}
