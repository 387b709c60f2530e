import { fileURLToPath } from 'node:url';

/** The lab suite's own checkout, wherever the grader is started from (npm run, npx, CI). */
export const SUITE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
