// Module hooks that run the suite's TypeScript (registered by register-typescript.mjs): a `.ts` or `.mts` file is
// an ES module whose types esbuild strips, nothing else (the suite's tsconfig has isolatedModules and
// verbatimModuleSyntax: no enums, namespaces or elided imports to emulate). The output of each of the suite's files
// is kept in node_modules/.cache, keyed by the file's path and bytes, so a new process (the grader, each grading
// worker, each test process) reads it instead of starting esbuild. Everything else (dependencies, JavaScript,
// JSON, built-ins) loads as Node loads it.
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const SUITE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_PARENT = path.join(SUITE_ROOT, 'node_modules', '.cache', 'cruddur-labs-typescript');
const TYPESCRIPT = /\.m?ts$/;

/**
 * The options of the suite's tsconfig.json that change what esbuild emits (the rest only change type checking):
 * imports kept as written, and class fields with define semantics (ES2022). A unit test holds them to tsconfig.json,
 * which is not read here: a comment or an `extends` there would otherwise need a parser in every process.
 */
export const COMPILER_OPTIONS = { verbatimModuleSyntax: true, target: 'ES2022' };

/** What the output depends on besides each file: esbuild's version and its options. */
function settings() {
  const require = createRequire(import.meta.url);
  const version = JSON.parse(readFileSync(require.resolve('esbuild/package.json'), 'utf8')).version;
  const options = {
    loader: 'ts',
    format: 'esm',
    // Types are stripped; the syntax stays as written (every Node the suite supports runs it).
    target: 'esnext',
    // Stack traces name the TypeScript's own lines (the register module turns source maps on).
    sourcemap: 'inline',
    sourcesContent: false,
    tsconfigRaw: { compilerOptions: COMPILER_OPTIONS },
  };
  const key = createHash('sha256').update(JSON.stringify([version, options])).digest('hex').slice(0, 16);
  return { options, cacheDir: path.join(CACHE_PARENT, key) };
}

let current;
const known = () => (current ??= settings());

/** The hash that names a file's entry: its path, then its bytes. */
const digest = (text) => createHash('sha256').update(text).digest('hex').slice(0, 20);

function cacheEntry(file, source) {
  if (!file.startsWith(SUITE_ROOT) || file.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
  const { cacheDir } = known();
  const prefix = `${digest(file)}-`;
  return { cacheDir, prefix, file: path.join(cacheDir, `${prefix}${digest(source)}.js`) };
}

/** Where the output of `file` with these bytes is kept; undefined for a file the cache does not keep (outside the suite). */
export function cachedOutputPath(file, source) {
  return cacheEntry(file, source)?.file;
}

/** What esbuild wrote last: a complete output ends with its source map's line (a cut one is compiled again). */
const MAP_LINE = '//# sourceMappingURL=data:application/json;base64,';
const BASE64_LINE = /^[A-Za-z0-9+/=]+\n$/;

/**
 * Whether `code` ends with its whole source map line, however long the map (a large file's is tens of kB); the
 * output of a file of types alone is that line and nothing else.
 */
function complete(code) {
  const at = code.lastIndexOf(MAP_LINE);
  return at >= 0 && (at === 0 || code[at - 1] === '\n') && BASE64_LINE.test(code.slice(at + MAP_LINE.length));
}

function readCached(entry) {
  if (!entry) return undefined;
  try {
    const code = readFileSync(entry.file, 'utf8');
    return complete(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps a file's output for the next process, replacing the file's older entries. Only a cache: a folder that
 * cannot be written (a read-only install) costs a compilation per process, nothing else.
 */
function store(entry, code) {
  if (!entry) return;
  try {
    // A folder made now is for a new esbuild or new compiler options: the other folders' entries are for a setup
    // that is gone.
    if (mkdirSync(entry.cacheDir, { recursive: true }) !== undefined) for (const name of readdirSync(CACHE_PARENT)) if (path.join(CACHE_PARENT, name) !== entry.cacheDir) rmSync(path.join(CACHE_PARENT, name), { recursive: true, force: true });
    const temporary = `${entry.file}.${randomBytes(6).toString('hex')}.part`;
    writeFileSync(temporary, code);
    renameSync(temporary, entry.file);
    const kept = path.basename(entry.file);
    const now = Date.now();
    for (const name of readdirSync(entry.cacheDir)) {
      const other = path.join(entry.cacheDir, name);
      // The file's older outputs; what a process that was killed while writing left (after an hour); outputs of
      // files that may be gone (after 30 days: one that is still there is compiled again, once).
      const age = () => now - (statSync(other, { throwIfNoEntry: false })?.mtimeMs ?? now);
      if (name === kept) continue;
      if (name.startsWith(entry.prefix) || age() > (name.endsWith('.part') ? 60 * 60_000 : 30 * 24 * 60 * 60_000)) rmSync(other, { force: true });
    }
  } catch {
    // Nothing to keep it in.
  }
}

const ownFile = (url) => {
  if (!url.startsWith('file:')) return undefined;
  const plain = new URL(url);
  plain.search = '';
  plain.hash = '';
  return TYPESCRIPT.test(plain.pathname) ? fileURLToPath(plain) : undefined;
};

const compiled = (code) => ({ format: 'module', source: code, shortCircuit: true });

/** A TypeScript file's source and kept output; undefined for any other module. */
function lookUp(url) {
  const file = ownFile(url);
  if (!file) return undefined;
  const source = readFileSync(file, 'utf8');
  const entry = cacheEntry(file, source);
  return { file, source, entry, cached: readCached(entry) };
}

const transformOptions = (found) => ({ ...known().options, sourcefile: found.file });

function kept(found, code) {
  store(found.entry, code);
  return compiled(code);
}

/** Off the main thread (module.register): esbuild, when needed, runs as one service for the whole process. */
export async function load(url, context, nextLoad) {
  const found = lookUp(url);
  if (!found) return nextLoad(url, context);
  if (found.cached !== undefined) return compiled(found.cached);
  const { transform } = await import('esbuild');
  return kept(found, (await transform(found.source, transformOptions(found))).code);
}

/** On the main thread (module.registerHooks, Node 22.15 and later): the same, synchronously. */
export function loadSync(url, context, nextLoad) {
  const found = lookUp(url);
  if (!found) return nextLoad(url, context);
  if (found.cached !== undefined) return compiled(found.cached);
  const { transformSync } = createRequire(import.meta.url)('esbuild');
  return kept(found, transformSync(found.source, transformOptions(found)).code);
}
