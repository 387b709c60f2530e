import { describe, expect, it } from 'vitest';
import { ENDED_EARLY_REASON, SKIPPED_REASON, unverifiedReason } from '../../../src/results/unverified-reason.ts';

const spec = '/suite/labs/week-05/04-scan/scan.spec.ts';
const other = '/suite/labs/week-05/05-list-tables/list-tables.spec.ts';
const none = { skipped: false, moduleErrors: [], unhandledErrors: [] };

describe('unverifiedReason', () => {
  it('says a skipped task was skipped, whatever else went wrong', () => {
    expect(unverifiedReason(spec, { ...none, skipped: true, moduleErrors: [{ message: 'spec broke' }] })).toBe(SKIPPED_REASON);
  });

  it("gives the spec's own error first", () => {
    const unhandledErrors = [{ message: 'from this spec', VITEST_TEST_PATH: spec }];
    expect(unverifiedReason(spec, { ...none, moduleErrors: [{ message: 'spec broke' }], unhandledErrors })).toBe('spec broke');
  });

  it('takes the unhandled error this spec raised, never one another spec raised', () => {
    const unhandledErrors = [
      { message: 'from the other spec', VITEST_TEST_PATH: other },
      { message: 'from this spec', VITEST_TEST_PATH: spec },
    ];
    expect(unverifiedReason(spec, { ...none, unhandledErrors })).toBe('from this spec');
    expect(unverifiedReason(spec, { ...none, unhandledErrors: unhandledErrors.slice(0, 1) })).toBe(ENDED_EARLY_REASON);
  });

  it('takes an unhandled error no spec is known for, and says the run ended early when there is none', () => {
    const unhandledErrors = [{ message: 'from the other spec', VITEST_TEST_PATH: other }, { message: 'a worker exited' }];
    expect(unverifiedReason(spec, { ...none, unhandledErrors })).toBe('a worker exited');
    expect(unverifiedReason(spec, none)).toBe(ENDED_EARLY_REASON);
  });
});
