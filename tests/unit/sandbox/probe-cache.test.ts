import { afterEach, describe, expect, it, vi } from 'vitest';
import { probed, probedAsync } from '../../../src/sandbox/probe-cache.ts';

const VARIABLE = 'LAB_PROBE_CACHE';
const saved = process.env[VARIABLE];
afterEach(() => {
  if (saved === undefined) delete process.env[VARIABLE];
  else process.env[VARIABLE] = saved;
});
let n = 0;
const uniqueKey = () => `test-key-${process.pid}-${(n += 1)}`;

describe('the probe cache', () => {
  it('runs an asynchronous probe once; what it found answers the synchronous probes and child processes', async () => {
    const key = uniqueKey();
    const probe = vi.fn(async () => ['/opt/python/bin']);
    expect(await probedAsync(key, probe)).toEqual(['/opt/python/bin']);
    expect(await probedAsync(key, probe)).toEqual(['/opt/python/bin']);
    expect(probe).toHaveBeenCalledTimes(1);
    const sync = vi.fn(() => ['other']);
    expect(probed(key, sync)).toEqual(['/opt/python/bin']);
    expect(sync).not.toHaveBeenCalled();
    expect(JSON.parse(process.env[VARIABLE] ?? '{}')[key]).toEqual(['/opt/python/bin']);
  });

  it('takes what a parent process found from the environment, and keeps what it found before', async () => {
    const [inherited, own] = [uniqueKey(), uniqueKey()];
    probed(own, () => 'mine');
    process.env[VARIABLE] = JSON.stringify({ ...JSON.parse(process.env[VARIABLE] ?? '{}'), [inherited]: null });
    const probe = vi.fn(async () => 'probed');
    // null is an answer (python3 missing), not a gap.
    expect(await probedAsync(inherited, probe)).toBeNull();
    expect(probe).not.toHaveBeenCalled();
    expect(await probedAsync(own, probe)).toBe('mine');
  });

  it('caches nothing when the probe fails', async () => {
    const key = uniqueKey();
    await expect(probedAsync(key, async () => Promise.reject(new Error('no python3')))).rejects.toThrow('no python3');
    expect(await probedAsync(key, async () => 'found later')).toBe('found later');
  });
});
