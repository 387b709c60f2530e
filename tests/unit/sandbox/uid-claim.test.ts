import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimUid } from '../../../src/sandbox/uid-claim.ts';

describe('claimUid', () => {
  const base = 64_000 + (process.pid % 1000) * 10;

  it('gives every holder its own uid and frees it on release', () => {
    const a = claimUid(base);
    const b = claimUid(base);
    expect(a.uid).toBe(base);
    expect(b.uid).toBe(base + 1);
    a.release();
    const c = claimUid(base);
    expect(c.uid).toBe(base);
    b.release();
    c.release();
    expect(existsSync(path.join(os.tmpdir(), `cruddur-labs-uid-${base}.lock`))).toBe(false);
  });

  it('takes over the uid of a holder that is gone', () => {
    // A pid far above pid_max is never alive.
    writeFileSync(path.join(os.tmpdir(), `cruddur-labs-uid-${base + 5}.lock`), '999999999');
    const claim = claimUid(base + 5);
    expect(claim.uid).toBe(base + 5);
    claim.release();
  });
});
