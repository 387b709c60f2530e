import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dynamoDbClasses, keepArchive } from '../../src/services/embedded/dynamodb-classes.ts';
import { javaVersion, startEmbeddedDynamoDb } from '../../src/services/embedded/dynamodb-local.ts';
import { findDynamoDbLocalJar } from '../../src/services/embedded/dynamodb-process.ts';
import { freePort } from '../../src/services/ports.ts';
import { tempDir } from '../grader/fixtures.ts';

const jar = findDynamoDbLocalJar();
const java = javaVersion('java') ? 'java' : undefined;

/** The files the process maps that are class archives. */
function mappedArchives(pid: number | undefined): string[] {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  return [...new Set(maps.split('\n').map((line) => line.split(/\s+/)[5] ?? '').filter((file) => file.endsWith('.jsa')))];
}

describe.skipIf(!jar || !java || process.platform !== 'linux')('DynamoDB Local with shared classes', () => {
  it('writes the archive when its first JVM stops, and a later JVM maps it', async () => {
    // Removed after the file by the project's setup file (tests/setup/remove-temp-dirs.ts).
    const cacheDir = tempDir('cruddur-labs-classes-');
    const first = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port: await freePort(), timeoutMs: 60_000, cacheDir });
    const [folder] = readdirSync(cacheDir);
    expect(folder).toMatch(/^dynamodb-classes-/);
    const archive = path.join(cacheDir, folder as string, 'classes.jsa');
    expect(readdirSync(path.join(cacheDir, folder as string))).not.toContain('classes.jsa');
    await first.stop();
    expect(readdirSync(path.join(cacheDir, folder as string)).sort()).toEqual(['DynamoDBLocal.jar', 'DynamoDBLocal_lib', 'classes.jsa']);

    const port = await freePort();
    const second = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port, timeoutMs: 60_000, cacheDir });
    try {
      expect(second.facts.version).not.toBe('unknown');
      const pid = findJvm(port);
      expect(pid).toBeDefined();
      expect(mappedArchives(pid)).toContain(archive);
    } finally {
      await second.stop();
    }

    // Its copy of the jar changed since (a cache folder copied without the files' times): the JVM cannot use the
    // archive, which is removed so that the next start writes it again.
    const copy = path.join(cacheDir, folder as string, 'DynamoDBLocal.jar');
    utimesSync(copy, new Date(2020, 0, 1), new Date(2020, 0, 1));
    const third = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port: await freePort(), timeoutMs: 60_000, cacheDir });
    await third.stop();
    expect(readdirSync(path.join(cacheDir, folder as string))).not.toContain('classes.jsa');
  }, 120_000);

  it('lets two JVMs that start at once on an empty cache (two grading workers) both write it, and keeps one', async () => {
    const cacheDir = tempDir('cruddur-labs-classes-');
    const both = await Promise.all([0, 1].map(async () => startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port: await freePort(), timeoutMs: 60_000, cacheDir })));
    await Promise.all(both.map((started) => started.stop()));
    const [folder, ...others] = readdirSync(cacheDir);
    expect(others).toEqual([]);
    expect(readdirSync(path.join(cacheDir, folder as string)).sort()).toEqual(['DynamoDBLocal.jar', 'DynamoDBLocal_lib', 'classes.jsa']);
  }, 120_000);

  it('does not keep an archive a JVM cannot start with (a truncated one), and starts without one where there is no cache', () => {
    const cacheDir = tempDir('cruddur-labs-classes-');
    const classes = dynamoDbClasses('java', jar as string, [], cacheDir);
    expect(classes.writing).toBeDefined();
    const { temp, archive } = classes.writing as { temp: string; archive: string };
    writeFileSync(temp, Buffer.alloc(100_000, 1));
    expect(keepArchive('java', classes, [])).toBe(false);
    expect(readdirSync(path.dirname(archive))).not.toContain(path.basename(temp));
    expect(readdirSync(path.dirname(archive))).not.toContain('classes.jsa');
    expect(dynamoDbClasses('java', jar as string, [], undefined)).toEqual({ jar, options: [] });
  }, 60_000);
});

/** The pid of the JVM listening on `port` (its command line names the port). */
function findJvm(port: number): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('java') && args.includes('-port') && args[args.indexOf('-port') + 1] === String(port)) return Number(name);
    } catch {
      // ended meanwhile
    }
  }
  return undefined;
}
