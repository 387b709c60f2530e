import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findDynamoDbLocalJar } from '../../../src/services/embedded/dynamodb-process.ts';
import { filterClassPath, jarEntries, readManifest, withManifest } from '../../../src/services/embedded/jar-manifest.ts';

const classPath = (manifest: string): string[] =>
  (/^Class-Path:(.*)$/m.exec(manifest.replace(/\r?\n /g, ''))?.[1] ?? '').trim().split(/\s+/).filter(Boolean);

describe('filterClassPath', () => {
  const long = Array.from({ length: 12 }, (_, i) => `DynamoDBLocal_lib/a-rather-long-library-name-${i}.jar`);
  const manifest = ['Manifest-Version: 1.0', 'Main-Class: a.b.C', `Class-Path: . log4j2.xml ${long.join(' ')} DynamoDBLocal_lib/libsqlite4java-linux-amd64.so`, ''].join('\r\n').replace(/(.{70})/g, '$1\r\n ');

  it('keeps the entries asked for, in their order, and the other attributes', () => {
    const filtered = filterClassPath(manifest, (entry) => entry.endsWith('.jar'));
    expect(classPath(filtered)).toEqual(long);
    expect(filtered).toMatch(/^Manifest-Version: 1.0\r\nMain-Class: a.b.C\r\n/);
    expect(filtered.endsWith('\r\n\r\n')).toBe(true);
  });

  it('folds every line to 72 bytes at most, continuations after a space', () => {
    const lines = filterClassPath(manifest, () => true).split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line) <= 72)).toBe(true);
    expect(lines.filter((line) => line.startsWith(' ')).length).toBeGreaterThan(5);
    expect(classPath(filterClassPath(manifest, () => true))).toEqual(['.', 'log4j2.xml', ...long, 'DynamoDBLocal_lib/libsqlite4java-linux-amd64.so']);
  });

  it('drops the attribute when no entry is left', () => {
    expect(filterClassPath(manifest, () => false)).not.toContain('Class-Path');
  });
});

const jar = findDynamoDbLocalJar();

describe.skipIf(!jar)('withManifest on the DynamoDB Local jar', () => {
  const original = readFileSync(jar as string);

  it('reads its manifest, which names its own folder on the class path', () => {
    const manifest = readManifest(original);
    expect(manifest).toMatch(/^Main-Class: /m);
    expect(classPath(manifest)).toContain('.');
  });

  it('gives a jar whose manifest is the new one and whose other entries are those of the original', () => {
    const manifest = filterClassPath(readManifest(original), (entry) => entry.endsWith('.jar'));
    const copy = withManifest(original, manifest);
    expect(readManifest(copy)).toBe(manifest);
    expect(classPath(readManifest(copy))).not.toContain('.');
    const others = (entries: Array<{ name: string; crc: number }>) => entries.filter((e) => e.name !== 'META-INF/MANIFEST.MF').sort((a, b) => a.name.localeCompare(b.name));
    expect(others(jarEntries(copy))).toEqual(others(jarEntries(original)));
    expect(jarEntries(copy).filter((e) => e.name === 'META-INF/MANIFEST.MF')).toHaveLength(1);
  });

  it('refuses what is not a zip file', () => {
    expect(() => readManifest(Buffer.from('not a jar at all, just some bytes of text'))).toThrow(/not a zip file/);
  });
});
