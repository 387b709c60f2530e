import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { cachedOutputPath, COMPILER_OPTIONS, load, loadSync, type LoadResult } from '../../../src/runner/typescript-hooks.mjs';

const SUITE = path.resolve(import.meta.dirname, '../../..');
const fromNext: LoadResult = { format: 'module', source: 'from the next hook' };
const next = () => vi.fn(async (): Promise<LoadResult> => fromNext);
const text = (result: LoadResult): string => (typeof result.source === 'string' ? result.source : Buffer.from(result.source as Uint8Array).toString('utf8'));

// Files of the suite's own are made under .cache (ignored by git), and removed with their cache entries.
const made: string[] = [];
const sources: [string, string][] = [];
function suiteFile(name: string, source: string): string {
  mkdirSync(path.join(SUITE, '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(SUITE, '.cache', 'typescript-hooks-test-'));
  made.push(dir);
  const file = path.join(dir, name);
  writeFileSync(file, source);
  sources.push([file, source]);
  return file;
}
afterAll(() => {
  for (const [file, source] of sources.splice(0)) rmSync(cachedOutputPath(file, source) as string, { force: true });
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const PLANTED = 'export const fromTheCache = true;\n//# sourceMappingURL=data:application/json;base64,e30=\n';

const TYPED = 'export const answer: number = 42;\ninterface Unused { a: string }\nexport function twice(value: number): number {\n  return value * 2;\n}\n';

describe("the suite's TypeScript hooks", () => {
  it('compile a TypeScript file of the suite to an ES module without its types, with a source map, and keep the output', async () => {
    const file = suiteFile('typed.ts', TYPED);
    const nextLoad = next();
    const result = await load(pathToFileURL(file).href, { format: undefined }, nextLoad);
    expect(nextLoad).not.toHaveBeenCalled();
    expect(result).toMatchObject({ format: 'module', shortCircuit: true });
    const code = text(result);
    expect(code).toContain('const answer = 42;');
    expect(code).not.toMatch(/: number|interface/);
    expect(code).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
    const kept = cachedOutputPath(file, TYPED);
    expect(kept).toBeDefined();
    expect(readFileSync(kept as string, 'utf8')).toBe(code);
    // A module that runs: the output is what Node can import.
    const module = (await import(`data:text/javascript,${encodeURIComponent(code)}`)) as { twice(value: number): number };
    expect(module.twice(21)).toBe(42);
  });

  it('read a kept output instead of compiling again, and replace it when the file changes', async () => {
    const file = suiteFile('kept.ts', TYPED);
    await load(pathToFileURL(file).href, {}, next());
    const kept = cachedOutputPath(file, TYPED) as string;
    writeFileSync(kept, PLANTED);
    // vitest imports spec files with a query (`?vitest=<time>`): the same file, the same entry.
    expect(text(await load(`${pathToFileURL(file).href}?vitest=1`, {}, next()))).toBe(PLANTED);
    expect(text(loadSync(pathToFileURL(file).href, {}, () => fromNext))).toBe(PLANTED);

    // An entry cut short (a full disk, a crash after the rename) is compiled again.
    writeFileSync(kept, PLANTED.slice(0, -20));
    expect(text(await load(pathToFileURL(file).href, {}, next()))).toContain('const answer = 42;');
    expect(readFileSync(kept, 'utf8')).toContain('const answer = 42;');

    const changed = TYPED.replace('42', '43');
    sources.push([file, changed]);
    writeFileSync(file, changed);
    expect(text(await load(pathToFileURL(file).href, {}, next()))).toContain('const answer = 43;');
    expect(existsSync(cachedOutputPath(file, changed) as string)).toBe(true);
    expect(existsSync(kept)).toBe(false);
  });

  it('read the kept output of a large file, whose source map line is longer than a few kB', async () => {
    const large = Array.from({ length: 400 }, (_, i) => `export function f${i}(value: number): number {\n  return value + ${i};\n}\n`).join('');
    const file = suiteFile('large.ts', large);
    await load(pathToFileURL(file).href, {}, next());
    const kept = cachedOutputPath(file, large) as string;
    const output = readFileSync(kept, 'utf8');
    expect(output.length - output.lastIndexOf('//# sourceMappingURL=')).toBeGreaterThan(8192);
    // Marked where a compilation would not put it: the next process reads the entry instead of compiling again.
    writeFileSync(kept, `// from the cache\n${output}`);
    expect(text(await load(pathToFileURL(file).href, {}, next()))).toMatch(/^\/\/ from the cache\n/);
    expect(text(loadSync(pathToFileURL(file).href, {}, () => fromNext))).toMatch(/^\/\/ from the cache\n/);
  });

  it('read the kept output of a file of types alone, which is its source map line and nothing else', async () => {
    const types = 'export interface Shape {\n  sides: number;\n}\n';
    const file = suiteFile('types.ts', types);
    await load(pathToFileURL(file).href, {}, next());
    const kept = cachedOutputPath(file, types) as string;
    const output = readFileSync(kept, 'utf8');
    expect(output).toMatch(/^\/\/# sourceMappingURL=/);
    // Another map than esbuild's: read, not compiled again.
    const planted = '//# sourceMappingURL=data:application/json;base64,e30=\n';
    expect(output).not.toBe(planted);
    writeFileSync(kept, planted);
    expect(text(await load(pathToFileURL(file).href, {}, next()))).toBe(planted);
  });

  it('compile synchronously on the main thread (Node 22.15 and later) as off it', async () => {
    const file = suiteFile('sync.mts', `${TYPED}// sync\n`);
    const result = loadSync(pathToFileURL(file).href, {}, () => fromNext);
    expect(result).toMatchObject({ format: 'module', shortCircuit: true });
    expect(text(result)).toContain('function twice(value) {');
  });

  it('compile a TypeScript file outside the suite without keeping it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cruddur-hooks-test-'));
    made.push(dir);
    const file = path.join(dir, 'outside.ts');
    writeFileSync(file, TYPED);
    expect(text(await load(pathToFileURL(file).href, {}, next()))).toContain('const answer = 42;');
    expect(cachedOutputPath(file, TYPED)).toBeUndefined();
  });

  it('name the file, line and column of a syntax error', async () => {
    const file = suiteFile('broken.ts', 'export const fine = 1;\nexport const broken: number = ;\n');
    await expect(load(pathToFileURL(file).href, {}, next())).rejects.toThrow(/broken\.ts:2:\d+: ERROR/);
    expect(() => loadSync(pathToFileURL(file).href, {}, () => fromNext)).toThrow(/broken\.ts:2:\d+: ERROR/);
  });

  it("compile with the options of the suite's tsconfig.json that change the output", () => {
    const tsconfig = JSON.parse(readFileSync(path.join(SUITE, 'tsconfig.json'), 'utf8')) as { extends?: string; compilerOptions: Record<string, unknown> };
    const { compilerOptions } = tsconfig;
    expect(tsconfig.extends, 'a base config could set options esbuild needs').toBeUndefined();
    for (const [option, value] of Object.entries(COMPILER_OPTIONS)) expect(compilerOptions[option], option).toBe(value);
    for (const option of ['experimentalDecorators', 'emitDecoratorMetadata', 'useDefineForClassFields', 'jsx', 'paths', 'baseUrl']) {
      expect(compilerOptions[option], `${option} would change what esbuild emits: add it to COMPILER_OPTIONS`).toBeUndefined();
    }
  });

  it('pass JavaScript, dependencies, JSON and built-ins on to the next hook', async () => {
    const vitestNode = pathToFileURL(createRequire(import.meta.url).resolve('vitest/node')).href;
    for (const [url, format] of [
      [vitestNode, 'module'],
      [pathToFileURL(path.join(SUITE, 'src/runner/typescript-hooks.mjs')).href, 'module'],
      [pathToFileURL(path.join(SUITE, 'package.json')).href, 'json'],
      ['node:fs', 'builtin'],
    ] as const) {
      const nextLoad = next();
      expect(await load(url, { format }, nextLoad)).toBe(fromNext);
      expect(nextLoad).toHaveBeenCalledWith(url, { format });
      const nextSync = vi.fn(() => fromNext);
      expect(loadSync(url, { format }, nextSync)).toBe(fromNext);
      expect(nextSync).toHaveBeenCalledWith(url, { format });
    }
  });
});
