import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A jar's manifest rewritten in place of the original: the entries before the central directory are kept as they
 * are, the new manifest is added after them (stored) and a new central directory names it instead of the old one.
 * Readers that go by the central directory (the JVM's class loader and its launcher) see only the new manifest;
 * one that reads the entries in order (ZipInputStream) meets the old manifest first, and the new one last.
 */
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const MANIFEST = 'META-INF/MANIFEST.MF';

interface CentralEntry {
  name: string;
  record: Buffer;
  method: number;
  compressedSize: number;
  localOffset: number;
}

function centralEntries(jar: Buffer): { entries: CentralEntry[]; directoryOffset: number } {
  const searchFrom = Math.max(0, jar.length - 65_557);
  let end = -1;
  for (let at = jar.length - 22; at >= searchFrom; at--) {
    if (jar.readUInt32LE(at) === END_OF_CENTRAL) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip file (no end of central directory)');
  const count = jar.readUInt16LE(end + 10);
  const directorySize = jar.readUInt32LE(end + 12);
  const directoryOffset = jar.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff || (end >= 20 && jar.readUInt32LE(end - 20) === ZIP64_LOCATOR)) throw new Error('a zip64 file, which is not handled');
  // The directory ends where the end record begins: no data before the zip (a self-extracting archive) or after it.
  if (directoryOffset + directorySize !== end) throw new Error('a zip file with data before it or a damaged directory, which is not handled');
  const entries: CentralEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (jar.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`a broken central directory at byte ${at}`);
    const nameLength = jar.readUInt16LE(at + 28);
    const length = 46 + nameLength + jar.readUInt16LE(at + 30) + jar.readUInt16LE(at + 32);
    const entry = {
      name: jar.toString('utf8', at + 46, at + 46 + nameLength),
      record: jar.subarray(at, at + length),
      method: jar.readUInt16LE(at + 10),
      compressedSize: jar.readUInt32LE(at + 20),
      localOffset: jar.readUInt32LE(at + 42),
    };
    if (entry.compressedSize === 0xffffffff || jar.readUInt32LE(at + 24) === 0xffffffff || entry.localOffset === 0xffffffff) throw new Error('a zip64 file, which is not handled');
    entries.push(entry);
    at += length;
  }
  if (entries.filter((e) => e.name === MANIFEST).length > 1) throw new Error(`more than one ${MANIFEST}`);
  // A new manifest would break the signatures of a signed jar.
  if (entries.some((e) => /^META-INF\/[^/]+\.(SF|RSA|DSA|EC)$/i.test(e.name))) throw new Error('a signed jar, whose manifest cannot change');
  return { entries, directoryOffset };
}

/** The names of the jar's entries and their checksums, as its central directory lists them. */
export function jarEntries(jar: Buffer): Array<{ name: string; crc: number }> {
  return centralEntries(jar).entries.map((entry) => ({ name: entry.name, crc: entry.record.readUInt32LE(16) }));
}

/** The text of the jar's manifest. */
export function readManifest(jar: Buffer): string {
  const entry = centralEntries(jar).entries.find((e) => e.name === MANIFEST);
  if (!entry) throw new Error(`no ${MANIFEST}`);
  const at = entry.localOffset;
  if (jar.readUInt32LE(at) !== LOCAL_HEADER) throw new Error(`a broken local header for ${MANIFEST}`);
  const start = at + 30 + jar.readUInt16LE(at + 26) + jar.readUInt16LE(at + 28);
  const data = jar.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data.toString('utf8');
  if (entry.method === 8) return inflateRawSync(data).toString('utf8');
  throw new Error(`${MANIFEST} is compressed with method ${entry.method}, which is not handled`);
}

/** The jar with `manifest` as its manifest instead of the one it has. */
export function withManifest(jar: Buffer, manifest: string): Buffer {
  const { entries, directoryOffset } = centralEntries(jar);
  const old = entries.find((e) => e.name === MANIFEST);
  if (!old) throw new Error(`no ${MANIFEST}`);
  const name = Buffer.from(MANIFEST, 'utf8');
  const data = Buffer.from(manifest, 'utf8');
  const entry = { time: old.record.readUInt16LE(12), date: old.record.readUInt16LE(14), crc: crc32(data), size: data.length, nameLength: name.length };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER, 0);
  writeStoredEntry(local, 4, entry);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL_HEADER, 0);
  central.writeUInt16LE(20, 4); // made by
  writeStoredEntry(central, 6, entry);
  central.writeUInt32LE(directoryOffset, 42); // the new local entry goes where the old directory began

  const directory = Buffer.concat([...entries.filter((e) => e !== old).map((e) => e.record), central, name]);
  const directoryStart = directoryOffset + local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(directoryStart, 16);
  return Buffer.concat([jar.subarray(0, directoryOffset), local, name, data, directory, end]);
}

/**
 * The fields a local header (from byte 4) and a central one (from byte 6) share, for an entry stored as it is: the
 * version needed, flags, method, time, date, checksum, both sizes, and the lengths of the name and the extra field.
 */
function writeStoredEntry(header: Buffer, at: number, entry: { time: number; date: number; crc: number; size: number; nameLength: number }): void {
  header.writeUInt16LE(10, at);
  header.writeUInt16LE(0, at + 2);
  header.writeUInt16LE(0, at + 4);
  header.writeUInt16LE(entry.time, at + 6);
  header.writeUInt16LE(entry.date, at + 8);
  header.writeUInt32LE(entry.crc, at + 10);
  header.writeUInt32LE(entry.size, at + 14);
  header.writeUInt32LE(entry.size, at + 18);
  header.writeUInt16LE(entry.nameLength, at + 22);
  header.writeUInt16LE(0, at + 24);
}

/** A manifest's lines, continuation lines joined to the line they continue. */
function unfold(manifest: string): string[] {
  return manifest.replace(/(\r\n|\r|\n) /g, '').split(/\r\n|\r|\n/);
}

/**
 * A manifest line folded as the jar format wants it: at most 72 bytes of UTF-8 each, a continuation after a space,
 * never inside a character.
 */
function fold(line: string): string {
  const lines: string[] = [];
  let current = '';
  let bytes = 0;
  for (const character of line) {
    const size = Buffer.byteLength(character);
    if (bytes + size > 72) {
      lines.push(current);
      current = ' ';
      bytes = 1;
    }
    current += character;
    bytes += size;
  }
  lines.push(current);
  return lines.join('\r\n');
}

/** `manifest` whose Class-Path (in its main section) keeps only the entries `keep` accepts. */
export function filterClassPath(manifest: string, keep: (entry: string) => boolean): string {
  const lines = unfold(manifest);
  const mainEnds = lines.findIndex((line) => line === '');
  const filtered = lines.flatMap((line, i) => {
    const name = /^class-path:/i.exec(line);
    if (!name || (mainEnds >= 0 && i > mainEnds)) return [line];
    const kept = line.slice(name[0].length).trim().split(/\s+/).filter(keep);
    return kept.length > 0 ? [`${name[0]} ${kept.join(' ')}`] : [];
  });
  while (filtered.at(-1) === '') filtered.pop();
  return `${filtered.map(fold).join('\r\n')}\r\n\r\n`;
}
