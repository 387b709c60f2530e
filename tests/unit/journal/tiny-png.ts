import { crc32, deflateSync } from 'node:zlib';

/** A minimal valid PNG (RGB, 8 bits), built with zlib's own deflate and CRC-32. */
export function tinyPng(width: number, height: number, options: { crcOff?: boolean; extra?: Buffer; dataWidth?: number } = {}): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE((crc32(body) + (options.crcOff ? 1 : 0)) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // RGB
  const rowWidth = options.dataWidth ?? width;
  const raw = Buffer.alloc(height * (1 + rowWidth * 3), 0x7f);
  for (let y = 0; y < height; y++) raw[y * (1 + rowWidth * 3)] = 0; // filter type None
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
    options.extra ?? Buffer.alloc(0),
  ]);
}
