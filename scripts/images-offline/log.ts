const started = Date.now();

/** Seconds since `since` (default: the start of the run), e.g. `12.3s`. */
export const elapsed = (since = started): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;

/** One progress line, stamped with the time since the start of the run. */
export const say = (scope: string, message: string): void => console.log(`[images ${elapsed().padStart(6)}] ${scope}: ${message}`);
