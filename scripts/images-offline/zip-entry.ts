import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';

/**
 * One entry of a zip (jar) file as text, or undefined when the file is no zip, a damaged one (cut short, its
 * directory pointing past its end) or has no such entry: enough zip to check the DynamoDB Local jar's version
 * without an unzip tool. Stored and deflated entries; no zip64. `zip` is the file's path or its bytes.
 */
export function readZipEntry(zip: string | Buffer, name: string): string | undefined {
  const bytes = typeof zip === 'string' ? readFileSync(zip) : zip;
  try {
    return findEntry(bytes, name);
  } catch (error) {
    // Offsets past the end (RangeError) or deflated data cut short (zlib): a damaged zip, the caller's "no zip".
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code?.startsWith('Z_')) return undefined;
    throw error;
  }
}

function findEntry(bytes: Buffer, name: string): string | undefined {
  const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return undefined;
  const entries = bytes.readUInt16LE(eocd + 10);
  let at = bytes.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries && bytes.readUInt32LE(at) === 0x02014b50; i++) {
    const method = bytes.readUInt16LE(at + 10);
    const size = bytes.readUInt32LE(at + 20);
    const nameLength = bytes.readUInt16LE(at + 28);
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
    const local = bytes.readUInt32LE(at + 42);
    if (bytes.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28);
      if (start + size > bytes.length) throw new RangeError(`entry ${name} ends past the end of the zip`);
      const data = bytes.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + skip;
  }
  return undefined;
}
