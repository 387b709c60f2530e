/** An error as vitest hands it to a reporter: an unhandled one names the spec file that was running when it came. */
export interface ReportedError {
  message: string;
  VITEST_TEST_PATH?: unknown;
}

/** Why a task whose test was declared but skipped without a recorded reason was not verified. */
export const SKIPPED_REASON = 'this task was skipped in this run (left out by a test-name filter, `.only` or `.skip`); run it without them';

export const ENDED_EARLY_REASON = 'the run ended before this task ran';

/**
 * Why a task of the spec file `moduleId` has no result: its test was skipped; else the spec's own error; else an
 * unhandled error raised while this spec, or no known spec, was running (never one that another spec raised);
 * else the run ended before it.
 */
export function unverifiedReason(
  moduleId: string,
  facts: { skipped: boolean; moduleErrors: readonly ReportedError[]; unhandledErrors: readonly ReportedError[] },
): string {
  if (facts.skipped) return SKIPPED_REASON;
  const own = facts.unhandledErrors.find((error) => error.VITEST_TEST_PATH === moduleId);
  const unplaced = facts.unhandledErrors.find((error) => typeof error.VITEST_TEST_PATH !== 'string');
  return facts.moduleErrors[0]?.message ?? own?.message ?? unplaced?.message ?? ENDED_EARLY_REASON;
}
