import { describe, expect, it } from 'vitest';
import { marshallItem, unmarshallItem } from '../../../src/ddb/attribute-values.ts';

describe('marshallItem', () => {
  it('converts flat plain values to attribute values', () => {
    expect(marshallItem({ s: 'x', n: 1.5, t: true, z: null })).toEqual({ s: { S: 'x' }, n: { N: '1.5' }, t: { BOOL: true }, z: { NULL: true } });
  });

  it('refuses numbers DynamoDB cannot store', () => {
    expect(() => marshallItem({ n: Number.NaN })).toThrow(RangeError);
  });
});

describe('unmarshallItem', () => {
  it('converts every attribute type to plain JSON-able values', () => {
    const item = unmarshallItem({
      s: { S: 'x' },
      n: { N: '42' },
      big: { N: '123456789012345678901234567890' },
      b: { BOOL: false },
      z: { NULL: true },
      bin: { B: new Uint8Array([1, 2, 3]) },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2'] },
      l: { L: [{ S: 'y' }, { N: '3' }] },
      m: { M: { inner: { S: 'deep' } } },
    });
    expect(item).toEqual({
      s: 'x',
      n: 42,
      big: '123456789012345678901234567890',
      b: false,
      z: null,
      bin: 'AQID',
      ss: ['a', 'b'],
      ns: [1, 2],
      l: ['y', 3],
      m: { inner: 'deep' },
    });
  });

  it('round-trips what marshallItem writes', () => {
    const plain = { pk: 'MSG#1', sk: '2025-01-01T00:00:00.000Z', n: 7, ok: true, none: null };
    expect(unmarshallItem(marshallItem(plain))).toEqual(plain);
  });
});
