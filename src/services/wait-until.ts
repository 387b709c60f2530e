import { setTimeout as delay } from 'node:timers/promises';

/**
 * Polls a readiness probe until it succeeds, the deadline passes, or `abandon` reports a reason to stop
 * (the process died). Returns the probe's value; throws the last probe error on timeout.
 */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  options: { timeoutMs: number; intervalMs?: number; abandon?: () => string | undefined },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    const reason = options.abandon?.();
    if (reason) throw new Error(reason, { cause: lastError });
    try {
      return await probe();
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`not ready after ${options.timeoutMs} ms`, { cause: lastError });
    }
    await delay(options.intervalMs ?? 100);
  }
}

/** Rejects with `message` when `promise` has not settled within `ms`; the timer never outlives it. */
export function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Keeps the last lines of a process's output, for error messages. */
export class LogTail {
  private lines: string[] = [];
  constructor(private readonly max = 40) {}
  push(chunk: string | Buffer): void {
    for (const line of chunk.toString().split(/\r?\n/)) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > this.max) this.lines.shift();
    }
  }
  text(): string {
    return this.lines.join('\n');
  }
  find(pattern: RegExp): RegExpMatchArray | undefined {
    for (const line of this.lines) {
      const match = line.match(pattern);
      if (match) return match;
    }
    return undefined;
  }
}
