import { describe, expect, it } from 'vitest';
import { ConfigError, LabError } from '../../../src/errors.ts';
import { parseShard, shardSlice, type Shard } from '../../../src/grader/shard.ts';

const identity = (s: string): string => s;

/** A deterministic shuffle (a small LCG), so a failing permutation can be reproduced. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function allShards(count: number): Shard[] {
  return Array.from({ length: count }, (_, i) => ({ index: i + 1, count }));
}

describe('parseShard', () => {
  it('reads i/n, 1-based', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('1000/1000')).toEqual({ index: 1000, count: 1000 });
    expect(parseShard(' 3/7 ')).toEqual({ index: 3, count: 7 });
  });

  it.each([
    ['', 'not two whole numbers'],
    ['2', 'not two whole numbers'],
    ['2of4', 'not two whole numbers'],
    ['2/4/8', 'not two whole numbers'],
    ['-1/4', 'not two whole numbers'],
    ['1.5/4', 'not two whole numbers'],
    ['0/4', 'between 1 and 4'],
    ['5/4', 'between 1 and 4'],
    ['1/0', 'at least 1'],
    ['1/1001', 'more than 1000'],
    ['99999999999999999999/4', 'between 1 and 4'],
  ])('rejects %j with a ConfigError that says what was given, the form and what to do', (given, problem) => {
    let caught: unknown;
    try {
      parseShard(given);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain(`--shard ${JSON.stringify(given)}`);
    expect(message).toContain(problem);
    expect(message).toContain('`--shard 2/4` grades the 2nd of 4 slices');
    expect(message).toContain('same n and a different i');
  });
});

describe('shardSlice', () => {
  const names = [
    'zoe-cruddur', 'Alice-cruddur', 'alice-cruddur', 'bob', 'émile', 'Émile', 'carol_2', 'carol-10', 'carol-2',
    'dave', '_x', '0-first', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia',
  ];

  it('sorts by key in code-unit order and keeps every count-th item from index - 1', () => {
    const items = ['d', 'a', 'B', 'c', 'e'];
    // Code units: 'B' (66) sorts before every lower-case letter, whatever the locale says.
    expect(shardSlice(items, { index: 1, count: 2 }, identity)).toEqual(['B', 'c', 'e']);
    expect(shardSlice(items, { index: 2, count: 2 }, identity)).toEqual(['a', 'd']);
    expect(shardSlice(items, { index: 3, count: 3 }, identity)).toEqual(['c']);
    expect(shardSlice(items, { index: 1, count: 1 }, identity)).toEqual(['B', 'a', 'c', 'd', 'e']);
  });

  it.each([1, 2, 3, 4, 7, 21, 50])('puts every item in exactly one of %i shards', (count) => {
    const slices = allShards(count).map((shard) => shardSlice(names, shard, identity));
    const all = slices.flat();
    expect(all).toHaveLength(names.length);
    expect(new Set(all)).toEqual(new Set(names));
    expect([...all].sort()).toEqual([...names].sort());
    const sizes = slices.map((s) => s.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('gives the same slices, in sorted order, whatever order the items come in', () => {
    const expected = allShards(4).map((shard) => shardSlice(names, shard, identity));
    for (const slice of expected) expect(slice).toEqual([...slice].sort());
    for (let seed = 1; seed <= 25; seed += 1) {
      const input = shuffled(names, seed);
      expect(allShards(4).map((shard) => shardSlice(input, shard, identity))).toEqual(expected);
    }
    expect(allShards(4).map((shard) => shardSlice([...names].reverse(), shard, identity))).toEqual(expected);
  });

  it('slices objects by their key and leaves the input alone', () => {
    const repos = [{ name: 'c' }, { name: 'a' }, { name: 'b' }];
    const before = repos.map((r) => r.name);
    expect(shardSlice(repos, { index: 1, count: 2 }, (r) => r.name)).toEqual([{ name: 'a' }, { name: 'c' }]);
    expect(repos.map((r) => r.name)).toEqual(before);
  });

  it('returns an empty slice when there are fewer items than shards', () => {
    expect(shardSlice(['a', 'b'], { index: 3, count: 4 }, identity)).toEqual([]);
    expect(shardSlice([], { index: 1, count: 1 }, identity)).toEqual([]);
  });

  it('refuses duplicate keys, which would make the slices depend on the input order', () => {
    expect(() => shardSlice(['a', 'b', 'a'], { index: 1, count: 2 }, identity)).toThrow(LabError);
    expect(() => shardSlice(['a', 'b', 'a'], { index: 1, count: 2 }, identity)).toThrow(/share the key "a"/);
  });

  it('refuses a shard outside its count, as parseShard does', () => {
    expect(() => shardSlice(names, { index: 0, count: 4 }, identity)).toThrow(ConfigError);
    expect(() => shardSlice(names, { index: 5, count: 4 }, identity)).toThrow(/"5\/4".*between 1 and 4/);
    expect(() => shardSlice(names, { index: 1.5, count: 4 }, identity)).toThrow(ConfigError);
  });
});
