// Module hooks (registered by register-typescript.mjs): an ES module of a dependency is loaded as it is, by Node's
// own rules. tsx would rewrite every one of them that has a dynamic import() and build a fine-grained source map
// for it (vite's and vitest's bundles are megabytes): about 0.8 CPU s in every process that starts, for code
// that was written for Node as it is. Everything else (the suite's TypeScript, CommonJS) goes on to tsx.
import { readFile } from 'node:fs/promises';
import { URL } from 'node:url';

const DEPENDENCY_MODULE = /\/node_modules\/.*\.m?js$/;

export async function load(url, context, nextLoad) {
  if (context.format === 'module' && url.startsWith('file:') && DEPENDENCY_MODULE.test(new URL(url).pathname)) {
    return { format: 'module', source: await readFile(new URL(url)), shortCircuit: true };
  }
  return nextLoad(url, context);
}
