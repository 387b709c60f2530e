import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findExecutable } from '../../../src/executables.ts';
import { detectSandbox } from '../../../src/sandbox/detect.ts';
import { probeToolDirs, toolDirs } from '../../../src/sandbox/host.ts';
import { tempDir } from '../../grader/fixtures.ts';

const saved = { PATH: process.env.PATH, LAB_PROBE_CACHE: process.env.LAB_PROBE_CACHE };
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

/** A folder for PATH with `name` in it, executable or not. */
function binWith(name: string, executable: boolean): string {
  const dir = path.join(tempDir('cruddur-tools-'), 'bin');
  mkdirSync(dir);
  writeFileSync(path.join(dir, name), '#!/bin/sh\n');
  chmodSync(path.join(dir, name), executable ? 0o755 : 0o644);
  return dir;
}

describe('the tools the sandbox needs, found on PATH', () => {
  it("shows the AWS CLI's folder to the sandbox when PATH has an executable aws, and not a plain file of that name", async () => {
    const found = binWith('aws', true);
    expect(toolDirs({ PATH: found })).toEqual([found]);
    const notExecutable = binWith('aws', false);
    expect(toolDirs({ PATH: notExecutable })).toEqual([]);
    const other = binWith('aws', true);
    expect(await probeToolDirs({ PATH: `${notExecutable}${path.delimiter}${other}` })).toEqual([other]);
  });

  it.skipIf(!findExecutable('bwrap'))('runs learner code without the sandbox, naming the util-linux tool that is missing', () => {
    const bin = path.join(tempDir('cruddur-tools-'), 'bin');
    mkdirSync(bin);
    symlinkSync(findExecutable('bwrap') as string, path.join(bin, 'bwrap'));
    delete process.env.LAB_PROBE_CACHE;
    process.env.PATH = bin;
    const missing = process.getuid?.() === 0 ? 'setpriv' : 'prlimit';
    expect(detectSandbox('auto', 61_000)).toEqual({ mode: 'none', reason: `\`${missing}\` (util-linux) is missing; install util-linux` });
  });
});
