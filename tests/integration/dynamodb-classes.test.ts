import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dynamoDbClasses, keepArchive } from '../../src/services/embedded/dynamodb-classes.ts';
import { javaVersion, startEmbeddedDynamoDb } from '../../src/services/embedded/dynamodb-local.ts';
import { findDynamoDbLocalJar, JVM_OPTIONS } from '../../src/services/embedded/dynamodb-process.ts';
import { freePort } from '../../src/services/ports.ts';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';
import type { DynamoDbFacts, ServiceHandle } from '../../src/services/types.ts';
import { tempDir } from '../grader/fixtures.ts';

const jar = findDynamoDbLocalJar();
const java = javaVersion('java') ? 'java' : undefined;
const run = promisify(execFile);

/** The class archives the JVM answering on `port` maps. */
function mappedArchives(port: number): string[] {
  const pid = readdirSync('/proc').find((name) => {
    try {
      const args = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      return args[0]?.endsWith('java') && args[args.indexOf('-port') + 1] === String(port);
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error(`no JVM on port ${port}`);
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
  return [...new Set(maps.split('\n').map((line) => line.split(/\s+/)[5] ?? '').filter((file) => file.endsWith('.jsa')))];
}

/** Starts DynamoDB Local with `cacheDir`, runs `check` on it, and stops it whatever happens. */
async function withDynamoDb(cacheDir: string, check: (started: ServiceHandle<DynamoDbFacts>) => void = () => {}): Promise<void> {
  const started = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port: await freePort(), timeoutMs: 60_000, cacheDir });
  try {
    check(started);
  } finally {
    await started.stop();
  }
}

const folderOf = (cacheDir: string): string => {
  const [folder, ...others] = readdirSync(cacheDir).filter((name) => name.startsWith('dynamodb-classes-'));
  expect(others).toEqual([]);
  return path.join(cacheDir, folder as string);
};

describe.skipIf(!jar || !java || process.platform !== 'linux')('DynamoDB Local with shared classes', () => {
  it('writes the archive when its first JVM stops, a later JVM maps it, and one that cannot use it removes it', async () => {
    // Removed after the file by the project's setup file (tests/setup/remove-temp-dirs.ts).
    const cacheDir = tempDir('cruddur-labs-classes-');
    await withDynamoDb(cacheDir, () => expect(readdirSync(folderOf(cacheDir))).not.toContain('classes.jsa'));
    const folder = folderOf(cacheDir);
    expect(readdirSync(folder).sort()).toEqual(['DynamoDBLocal.jar', 'DynamoDBLocal_lib', 'classes.jsa']);

    await withDynamoDb(cacheDir, (started) => {
      expect(started.facts.version).not.toBe('unknown');
      expect(mappedArchives(started.facts.port)).toContain(path.join(folder, 'classes.jsa'));
    });

    // Its copy of the jar changed since (a cache folder copied without the files' times): the JVM cannot use the
    // archive, which is removed so that the next start writes it again.
    utimesSync(path.join(folder, 'DynamoDBLocal.jar'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    await withDynamoDb(cacheDir, (started) => expect(started.facts.version).not.toBe('unknown'));
    expect(readdirSync(folder)).not.toContain('classes.jsa');
  }, 120_000);

  it('lets two processes that start at once on an empty cache (two grading workers) both write it, and keeps one', async () => {
    const cacheDir = tempDir('cruddur-labs-classes-');
    const helper = path.join(import.meta.dirname, 'helpers', 'start-stop-dynamodb.ts');
    await Promise.all([0, 1].map(() => run(process.execPath, [...TYPESCRIPT_ARGS, helper, cacheDir], { timeout: 90_000 })));
    const folder = folderOf(cacheDir);
    expect(readdirSync(folder).sort()).toEqual(['DynamoDBLocal.jar', 'DynamoDBLocal_lib', 'classes.jsa']);
    await withDynamoDb(cacheDir, (started) => expect(mappedArchives(started.facts.port)).toContain(path.join(folder, 'classes.jsa')));
  }, 120_000);

  it('starts without the archive when the JVM refuses its options (JAVA_TOOL_OPTIONS=-Xshare:off), and later starts with those options skip it', async () => {
    const cacheDir = tempDir('cruddur-labs-classes-');
    const saved = process.env.JAVA_TOOL_OPTIONS;
    process.env.JAVA_TOOL_OPTIONS = '-Xshare:off';
    let refused: string;
    try {
      await withDynamoDb(cacheDir, (started) => {
        expect(started.facts.version).not.toBe('unknown');
        expect(mappedArchives(started.facts.port)).toEqual([]);
      });
      refused = folderOf(cacheDir);
      expect(readdirSync(refused)).toContain('refused');
      // The mark keeps the next start with the same options on the original jar, at once.
      expect(dynamoDbClasses('java', jar as string, JVM_OPTIONS, cacheDir)).toEqual({ jar, options: [] });
    } finally {
      if (saved === undefined) delete process.env.JAVA_TOOL_OPTIONS;
      else process.env.JAVA_TOOL_OPTIONS = saved;
    }
    // Without the variable, the archive is made and used as anywhere else: the mark belongs to those options.
    await withDynamoDb(cacheDir);
    const archives = readdirSync(cacheDir).filter((name) => path.join(cacheDir, name) !== refused && existsSync(path.join(cacheDir, name, 'classes.jsa')));
    expect(archives).toHaveLength(1);
  }, 120_000);

  it('does not keep a truncated archive (it would crash the JVM that maps it), and leaves no crash report', async () => {
    const cacheDir = tempDir('cruddur-labs-classes-');
    const classes = dynamoDbClasses('java', jar as string, [], cacheDir);
    const { temp, archive } = classes.writing as { temp: string; archive: string };
    await run('java', [`-XX:ArchiveClassesAtExit=${temp}`, '-cp', classes.jar, '-version']);
    expect(existsSync(temp)).toBe(true);
    truncateSync(temp, Math.floor(readFileSync(temp).length / 2));
    expect(await keepArchive('java', classes, [])).toBe(false);
    expect(readdirSync(path.dirname(archive)).sort()).toEqual(['DynamoDBLocal.jar', 'DynamoDBLocal_lib']);
    expect(readdirSync(process.cwd()).filter((name) => name.startsWith('hs_err'))).toEqual([]);
  }, 60_000);

  it('runs the original jar where there is no cache folder, or no libraries beside the copy', () => {
    expect(dynamoDbClasses('java', jar as string, [], undefined)).toEqual({ jar, options: [] });
    const cacheDir = tempDir('cruddur-labs-classes-');
    expect(dynamoDbClasses('java', jar as string, [], cacheDir).options).toHaveLength(1);
    const link = path.join(folderOf(cacheDir), 'DynamoDBLocal_lib');
    rmSync(link);
    symlinkSync(path.join(cacheDir, 'nowhere'), link);
    expect(dynamoDbClasses('java', jar as string, [], cacheDir)).toEqual({ jar, options: [] });
  });
});
