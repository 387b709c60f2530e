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
  const crc = crc32(data);
  const time = old.record.readUInt16LE(12);
  const date = old.record.readUInt16LE(14);

  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER, 0);
  local.writeUInt16LE(10, 4); // version needed: stored
  local.writeUInt16LE(0, 6); // flags
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt16LE(time, 10);
  local.writeUInt16LE(date, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  local.writeUInt16LE(0, 28);

  const central = Buffer.alloc(46);
  central.writeUInt32LE(CENTRAL_HEADER, 0);
  central.writeUInt16LE(20, 4); // made by
  central.writeUInt16LE(10, 6); // needed
  central.writeUInt16LE(0, 8);
  central.writeUInt16LE(0, 10);
  central.writeUInt16LE(time, 12);
  central.writeUInt16LE(date, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
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

/** A manifest's main attributes as name and value, continuation lines joined. */
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
