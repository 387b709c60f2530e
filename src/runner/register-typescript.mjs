// How every process of the suite runs TypeScript: `node --import ./src/runner/register-typescript.mjs <file.ts>`
// (TYPESCRIPT_ARGS in node-args.ts). typescript-hooks.mjs compiles the suite's own files; everything else loads as
// Node loads it. Node 22.15 and later run the hooks on the main thread; Node 20 on a thread of their own.
import module from 'node:module';

// Stack traces name the lines of the TypeScript (each compiled file carries its source map).
process.setSourceMapsEnabled(true);
if (typeof module.registerHooks === 'function') module.registerHooks({ load: (await import('./typescript-hooks.mjs')).loadSync });
else module.register('./typescript-hooks.mjs', import.meta.url);
