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

  it('folds by bytes of UTF-8, never inside a character', () => {
    const wide = `Implementation-Title: ${'é'.repeat(40)}${'😀'.repeat(20)}`;
    const lines = filterClassPath(`Manifest-Version: 1.0\r\n${wide}\r\n\r\n`, () => true).split('\r\n');
    expect(lines.every((line) => Buffer.byteLength(line) <= 72)).toBe(true);
    expect(lines.join('\r\n')).not.toContain('\uFFFD');
    expect(lines.slice(1, -2).map((line, i) => (i === 0 ? line : line.slice(1))).join('')).toBe(wide);
  });

  it('reads lines ended by CR alone, the attribute in any case, and filters only the main section', () => {
    const text = 'Manifest-Version: 1.0\rclass-path: . a.jar \r b.jar\r\rName: x/\rClass-Path: . c.jar\r\r';
    const filtered = filterClassPath(text, (entry) => entry.endsWith('.jar'));
    expect(filtered).toBe('Manifest-Version: 1.0\r\nclass-path: a.jar b.jar\r\n\r\nName: x/\r\nClass-Path: . c.jar\r\n\r\n');
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

  it('writes a directory that ends where the end record begins, and headers for the new manifest that agree', () => {
    const copy = withManifest(original, filterClassPath(readManifest(original), (entry) => entry.endsWith('.jar')));
    const end = copy.length - 22;
    expect(copy.readUInt32LE(end)).toBe(0x06054b50);
    expect(copy.readUInt32LE(end + 16) + copy.readUInt32LE(end + 12)).toBe(end);
    expect(copy.readUInt16LE(end + 10)).toBe(jarEntries(original).length);
    // The new manifest's local header sits where the old directory began; its fields are the central record's.
    const oldEnd = original.length - 22;
    const local = original.readUInt32LE(oldEnd + 16);
    expect(copy.readUInt32LE(local)).toBe(0x04034b50);
    const central = copy.subarray(copy.readUInt32LE(end + 16)).indexOf(Buffer.from('META-INF/MANIFEST.MF')) + copy.readUInt32LE(end + 16) - 46;
    expect(copy.readUInt32LE(central)).toBe(0x02014b50);
    expect(copy.readUInt32LE(central + 42)).toBe(local);
    expect(copy.subarray(local + 6, local + 30).equals(copy.subarray(central + 8, central + 32))).toBe(true);
  });

  it('refuses a zip64 file, a zip with data before it, and a signed jar, each by name', () => {
    const zip64 = Buffer.from(original);
    zip64.writeUInt16LE(0xffff, zip64.length - 22 + 10);
    expect(() => readManifest(zip64)).toThrow(/zip64/);
    expect(() => readManifest(Buffer.concat([Buffer.from('#!/bin/sh\nexec java -jar "$0"\n'), original]))).toThrow(/data before it/);
    const signed = Buffer.from(original);
    const name = signed.lastIndexOf(Buffer.from('META-INF/MANIFEST.MF'));
    signed.write('META-INF/ABCDEFGH.SF', name);
    expect(() => readManifest(signed)).toThrow(/signed jar/);
  });

  it('refuses what is not a zip file', () => {
    expect(() => readManifest(Buffer.from('not a jar at all, just some bytes of text'))).toThrow(/not a zip file/);
  });
});
