import { crc32, inflateRawSync } from 'node:zlib';

/**
 * A jar's manifest rewritten in place of the original: the entries before the central directory are kept as they
 * are, the new manifest is added after them (stored) and a new central directory names it instead of the old one.
 * Readers that go by the central directory (the JVM's class loader and its launcher) see only the new manifest.
 */
const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
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
  const directoryOffset = jar.readUInt32LE(end + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw new Error('a zip64 file, which is not handled');
  const entries: CentralEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (jar.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error(`a broken central directory at byte ${at}`);
    const length = 46 + jar.readUInt16LE(at + 28) + jar.readUInt16LE(at + 30) + jar.readUInt16LE(at + 32);
    entries.push({
      name: jar.toString('utf8', at + 46, at + 46 + jar.readUInt16LE(at + 28)),
      record: jar.subarray(at, at + length),
      method: jar.readUInt16LE(at + 10),
      compressedSize: jar.readUInt32LE(at + 20),
      localOffset: jar.readUInt32LE(at + 42),
    });
    at += length;
  }
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
  return manifest.replace(/\r?\n /g, '').split(/\r?\n/);
}

/** A manifest line folded as the jar format wants it: at most 72 bytes, each continuation after a space. */
function fold(line: string): string {
  const parts = [line.slice(0, 70)];
  for (let at = 70; at < line.length; at += 69) parts.push(` ${line.slice(at, at + 69)}`);
  return parts.join('\r\n');
}

/** `manifest` whose Class-Path keeps only the entries `keep` accepts. */
export function filterClassPath(manifest: string, keep: (entry: string) => boolean): string {
  const lines = unfold(manifest).flatMap((line) => {
    if (!line.startsWith('Class-Path:')) return [line];
    const kept = line.slice('Class-Path:'.length).trim().split(/\s+/).filter(keep);
    return kept.length > 0 ? [`Class-Path: ${kept.join(' ')}`] : [];
  });
  const body = lines.filter((line, i) => line !== '' || i < lines.length - 1).map(fold);
  return `${body.join('\r\n').replace(/(\r\n)+$/, '')}\r\n\r\n`;
}
