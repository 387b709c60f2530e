import { inflateSync } from 'node:zlib';

/** What a PNG file says about itself, once its structure has been checked. */
export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
  bytes: number;
  /** Chunk types in file order, e.g. IHDR, IDAT, IEND. */
  chunks: string[];
}

/** The file is not a well-formed PNG; the message says which check failed. */
export class PngError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PngError';
  }
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per pixel for each PNG colour type (grey, RGB, palette, grey+alpha, RGBA). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as PNG (and zlib) compute it. */
export function crc32(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * Reads and checks a PNG: the signature, every chunk's length and CRC, IHDR first, at least one IDAT, IEND
 * last; and that the image data inflates to exactly the size the header's dimensions require (so a truncated or
 * doctored file is caught, not only a wrong signature). Throws PngError saying what is wrong.
 */
export function readPng(file: Buffer): PngInfo {
  if (file.length < SIGNATURE.length || !file.subarray(0, SIGNATURE.length).equals(SIGNATURE)) {
    throw new PngError('the file does not start with the PNG signature');
  }
  const chunks: string[] = [];
  const idat: Buffer[] = [];
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  let offset = SIGNATURE.length;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw new PngError(`a chunk at byte ${offset} is cut off`);
    const length = file.readUInt32BE(offset);
    const type = file.toString('latin1', offset + 4, offset + 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new PngError(`byte ${offset} holds no valid chunk type`);
    const end = offset + 12 + length;
    if (end > file.length) throw new PngError(`chunk ${type} at byte ${offset} is cut off`);
    const data = file.subarray(offset + 8, offset + 8 + length);
    if (crc32(file.subarray(offset + 4, offset + 8 + length)) !== file.readUInt32BE(offset + 8 + length)) {
      throw new PngError(`chunk ${type} at byte ${offset} has a wrong CRC`);
    }
    if (chunks.length === 0) {
      if (type !== 'IHDR' || length !== 13) throw new PngError('the first chunk is not a 13-byte IHDR');
      header = {
        width: data.readUInt32BE(0),
        height: data.readUInt32BE(4),
        bitDepth: data.readUInt8(8),
        colorType: data.readUInt8(9),
        interlace: data.readUInt8(12),
      };
    }
    chunks.push(type);
    if (type === 'IDAT') idat.push(data);
    offset = end;
    if (type === 'IEND') break;
  }
  if (!header) throw new PngError('there is no IHDR chunk');
  if (chunks.at(-1) !== 'IEND') throw new PngError('there is no IEND chunk');
  if (offset !== file.length) throw new PngError(`${file.length - offset} bytes follow the IEND chunk`);
  if (idat.length === 0) throw new PngError('there is no image data (IDAT)');
  const channels = CHANNELS[header.colorType];
  if (header.width === 0 || header.height === 0 || channels === undefined) {
    throw new PngError(`the header is invalid (${header.width}x${header.height}, colour type ${header.colorType})`);
  }
  let pixels: Buffer;
  try {
    pixels = inflateSync(Buffer.concat(idat));
  } catch (error) {
    throw new PngError('the image data does not decompress', { cause: error });
  }
  if (header.interlace === 0) {
    const rowBytes = Math.ceil((header.width * channels * header.bitDepth) / 8);
    const expected = header.height * (rowBytes + 1);
    if (pixels.length !== expected) {
      throw new PngError(`the image data holds ${pixels.length} bytes, but ${header.width}x${header.height} needs ${expected}`);
    }
  }
  return {
    width: header.width,
    height: header.height,
    bitDepth: header.bitDepth,
    colorType: header.colorType,
    interlaced: header.interlace !== 0,
    bytes: file.length,
    chunks,
  };
}
