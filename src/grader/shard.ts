import { ConfigError, LabError } from '../errors.ts';

/** One slice of a class: the `index`-th (1-based) of `count` slices. */
export interface Shard {
  index: number;
  count: number;
}

const MAX_SHARDS = 1000;
const FORM =
  'The form is i/n, the i-th of n slices of the class, with 1 <= i <= n <= 1000: `--shard 2/4` grades the 2nd of 4 slices.';
const ADVICE = 'Give each of the n parallel jobs the same n and a different i (1/n, 2/n, ... n/n), so every repository is graded exactly once.';

/**
 * Parses a `--shard` value `i/n` (1-based: `2/4` is the 2nd of 4 slices, 1 <= i <= n <= 1000).
 * Throws a ConfigError that says what was given, the expected form and what to do.
 */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!match) throw shardError(text, 'it is not two whole numbers separated by "/"');
  const shard = { index: Number(match[1]), count: Number(match[2]) };
  checkShard(shard, text);
  return shard;
}

/**
 * The items of one shard, the same on every machine: items sorted by `key` (code-unit order, not the locale's),
 * then those at sorted positions p (0-based) with p % count === index - 1, in sorted order. For a given count
 * every item lands in exactly one shard. Keys must be unique, or the slices would depend on the input order.
 */
export function shardSlice<T>(items: readonly T[], shard: Shard, key: (t: T) => string): T[] {
  checkShard(shard, `${shard.index}/${shard.count}`);
  const keyed = items.map((item) => ({ item, key: key(item) }));
  keyed.sort((a, b) => compareCodeUnits(a.key, b.key));
  for (let i = 1; i < keyed.length; i += 1) {
    const same = keyed[i]?.key;
    if (same === keyed[i - 1]?.key) {
      throw new LabError(
        `Two items to shard share the key ${JSON.stringify(same)}; with duplicate keys the slices would depend on ` +
          'the order the items were listed in, and a repository could be graded twice or not at all. ' +
          'This is a bug in the grader: report it with the folder that was being graded.',
        'suite',
      );
    }
  }
  return keyed.filter((_, position) => position % shard.count === shard.index - 1).map(({ item }) => item);
}

function checkShard({ index, count }: Shard, given: string): void {
  if (!Number.isSafeInteger(count) || count < 1) throw shardError(given, 'the number of slices n must be at least 1');
  if (count > MAX_SHARDS) throw shardError(given, `the number of slices n is more than ${MAX_SHARDS}`);
  if (!Number.isSafeInteger(index) || index < 1 || index > count) {
    throw shardError(given, `the slice i must be between 1 and ${count}`);
  }
}

function shardError(given: string, problem: string): ConfigError {
  return new ConfigError(`--shard ${JSON.stringify(given)} is not a shard: ${problem}. ${FORM} ${ADVICE}`);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
