import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { load, type LoadResult } from '../../../src/runner/dependency-hooks.mjs';

const next = () => vi.fn(async (): Promise<LoadResult> => ({ format: 'module', source: 'from the next hook' }));
// An ES module of a dependency, with a dynamic import() (what tsx would rewrite).
const vitestNode = pathToFileURL(createRequire(import.meta.url).resolve('vitest/node')).href;

describe('the dependency hooks', () => {
  it("load a dependency's ES module as it is on disk, without the next hook (tsx)", async () => {
    const nextLoad = next();
    const result = await load(`${vitestNode}?run=2`, { format: 'module' }, nextLoad);
    expect(nextLoad).not.toHaveBeenCalled();
    expect(result).toMatchObject({ format: 'module', shortCircuit: true });
    expect(Buffer.from(result.source as Uint8Array).toString('utf8')).toBe(readFileSync(new URL(vitestNode), 'utf8'));
  });

  it("pass the suite's own files, CommonJS and other formats on to the next hook", async () => {
    const own = pathToFileURL(new URL('../../../src/trace.ts', import.meta.url).pathname).href;
    for (const [url, format] of [
      [own, 'module'],
      [vitestNode, 'commonjs'],
      [vitestNode, undefined],
      ['node:fs', 'builtin'],
      [vitestNode.replace(/\.m?js$/, '.json'), 'json'],
    ] as const) {
      const nextLoad = next();
      expect(await load(url, { format }, nextLoad)).toEqual({ format: 'module', source: 'from the next hook' });
      expect(nextLoad).toHaveBeenCalledWith(url, { format });
    }
  });
});
