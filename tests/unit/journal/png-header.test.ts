import { describe, expect, it } from 'vitest';
import { crc32, PngError, readPng } from '../../../src/labkit/png-header.ts';
import { tinyPng } from './tiny-png.ts';

function error(file: Buffer): string {
  try {
    readPng(file);
  } catch (e) {
    if (e instanceof PngError) return e.message;
    throw e;
  }
  throw new Error('expected a PngError');
}

describe('readPng', () => {
  it('reads the size and structure of a PNG made with zlib', () => {
    const file = tinyPng(3, 2);
    expect(readPng(file)).toEqual({ width: 3, height: 2, bitDepth: 8, colorType: 2, interlaced: false, bytes: file.length, chunks: ['IHDR', 'IDAT', 'IEND'] });
    expect(readPng(tinyPng(1280, 800))).toMatchObject({ width: 1280, height: 800 });
  });

  it('says what is wrong with a file that is not a good PNG', () => {
    expect(error(Buffer.from('GIF89a not a png at all'))).toBe('the file does not start with the PNG signature');
    expect(error(tinyPng(3, 2, { crcOff: true }))).toMatch(/chunk IHDR at byte 8 has a wrong CRC/);
    const file = tinyPng(3, 2);
    expect(error(file.subarray(0, file.length - 5))).toMatch(/cut off/);
    expect(error(tinyPng(3, 2, { extra: Buffer.from('trailing') }))).toBe('8 bytes follow the IEND chunk');
    expect(error(tinyPng(4, 2, { dataWidth: 3 }))).toBe('the image data holds 20 bytes, but 4x2 needs 26');
    expect(error(file.subarray(0, 8))).toBe('there is no IHDR chunk');
  });

  it('computes CRC-32 as zlib does (the standard check value)', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });
});
