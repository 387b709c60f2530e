/** Timing of the lab's conversation of this year: how old its first message is and how far apart they are. */
export interface Spread {
  ageMs: number;
  intervalMs: number;
}

/** As the course's seed after its timezone fix: the first message a day ago, one a minute. */
export const COURSE_SPREAD: Spread = { ageMs: 24 * 60 * 60 * 1000, intervalMs: 60 * 1000 };

/**
 * `count` distinct times (epoch microseconds, oldest first) that all lie in the past and in now's UTC year.
 * Normally they start `ageMs` before now, `intervalMs` apart. When that start falls in last year (the first
 * day of January), they start at January 1st 00:00:00 UTC instead and the spacing is compressed to fit
 * before now; microseconds keep them distinct even seconds after midnight.
 */
export function timesThisYear(now: Date, count: number, spread: Spread = COURSE_SPREAD): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
  const nowUs = now.getTime() * 1000;
  const yearStartUs = Date.UTC(now.getUTCFullYear(), 0, 1) * 1000;
  const startUs = Math.max(nowUs - spread.ageMs * 1000, yearStartUs);
  // The last time must stay strictly before now: (count - 1) * interval < now - start.
  const intervalUs = Math.min(spread.intervalMs * 1000, Math.floor((nowUs - startUs) / count));
  if (intervalUs < 1) {
    throw new RangeError(
      `Only ${nowUs - startUs} µs of ${now.getUTCFullYear()} have passed: too few to date ${count} messages in this year, in the past. Run the lab again in a moment.`,
    );
  }
  return Array.from({ length: count }, (_, i) => startUs + i * intervalUs);
}

/**
 * A time as Python's `datetime.now(timezone.utc).isoformat()` prints it, but always with six fraction
 * digits (`2026-11-24T09:05:00.000000+00:00`), so that the strings sort like the times and every Python's
 * `datetime.fromisoformat` reads them (3.10 and older reject a `Z` suffix).
 */
export function pythonIsoTime(epochUs: number): string {
  const ms = Math.floor(epochUs / 1000);
  const micros = String(epochUs - ms * 1000).padStart(3, '0');
  return `${new Date(ms).toISOString().slice(0, 23)}${micros}+00:00`;
}
