// How every process of the suite runs TypeScript: `node --import ./src/runner/register-typescript.mjs <file.ts>`
// (TYPESCRIPT_ARGS in node-args.ts). tsx compiles the suite's own files; the dependencies' ES modules load as Node
// itself loads them (dependency-hooks.mjs). Registered hooks run last-registered first, so those run before tsx's.
import 'tsx';
import { register } from 'node:module';

register('./dependency-hooks.mjs', import.meta.url);
