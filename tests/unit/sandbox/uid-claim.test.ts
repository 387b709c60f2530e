import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { TYPESCRIPT_ARGS } from '../../../src/runner/node-args.ts';
import { claimUid } from '../../../src/sandbox/uid-claim.ts';

const UID_CLAIM = new URL('../../../src/sandbox/uid-claim.ts', import.meta.url).pathname;
const lockFile = (uid: number): string => path.join(os.tmpdir(), `cruddur-labs-uid-${uid}.lock`);

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

  it('leaves no lock behind when its holder is killed, and never removes a lock another holder took over', async () => {
    const [taken, own] = [base + 8, base + 7];
    // The child claims `taken` first: its reaper looks at that lock before `own`, so once `own` is gone both were seen.
    const script = `import { claimUid } from ${JSON.stringify(UID_CLAIM)}; claimUid(${taken}); claimUid(${own}); console.log('claimed'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, [...TYPESCRIPT_ARGS, '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('claimed') && resolve());
        child.once('exit', (code) => reject(new Error(`the claiming process ended (${code})`)));
      });
      expect(readFileSync(lockFile(own), 'utf8')).toBe(String(child.pid));
      // Another grading run takes `taken` over, as it would once it thinks the holder gone.
      writeFileSync(lockFile(taken), String(process.pid));
      child.kill('SIGKILL');
      for (let i = 0; i < 100 && existsSync(lockFile(own)); i++) await delay(50);
      expect(existsSync(lockFile(own))).toBe(false);
      expect(readFileSync(lockFile(taken), 'utf8')).toBe(String(process.pid));
    } finally {
      child.kill('SIGKILL');
      for (const uid of [taken, own]) rmSync(lockFile(uid), { force: true });
    }
  });
});
