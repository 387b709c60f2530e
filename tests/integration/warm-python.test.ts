import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUITE_ROOT } from '../../src/config/suite-root.ts';
import { detectSandbox } from '../../src/sandbox/detect.ts';
import { makePrivateCopy } from '../../src/sandbox/private-copy.ts';
import { runLearnerProcess, type SandboxSettings } from '../../src/sandbox/run-learner.ts';
import { endSpare } from '../../src/sandbox/warm-python.ts';
import { tempDir } from '../grader/fixtures.ts';

const UID = 61_091;
const support = detectSandbox('auto', UID);
const privileged = support.mode === 'namespaces' && support.privileged;
const skipReason = privileged ? undefined : support.mode === 'none' ? support.reason : 'a warm interpreter is only used as root';
if (skipReason) console.warn(`[warm-python] skipping: ${skipReason}`);

/** The interpreter's own folder first, as a step's environment has it (a version manager's shim is a shell script). */
const pythonBin = spawnSync('python3', ['-c', 'import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))'], { encoding: 'utf8' }).stdout.trim();
const PATH = [pythonBin, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(':');

/** What a script sees of how it was started: the same cold and warm, but for what the spare imported ahead. */
const PROBE = `#!/usr/bin/env python3
import os, sys
warm = 'json' in sys.modules
import json
print(json.dumps({
    'warm': warm,
    'argv': sys.argv,
    'file': __file__,
    'name': __name__,
    'path0': sys.path[0],
    'cwd': os.getcwd(),
    'env': dict(os.environ),
    'loader': type(__loader__).__name__,
    'spec': __spec__,
    'stdin': sys.stdin.read(),
    'fd3': os.path.exists('/proc/self/fd/3'),
    'main': sys.modules['__main__'].__dict__ is globals(),
    'uid': os.getuid(),
}))
if len(sys.argv) > 1 and sys.argv[1] == 'fail':
    raise ValueError('broken on purpose')
if len(sys.argv) > 1 and sys.argv[1] == 'exit':
    sys.exit(7)
`;

describe.skipIf(skipReason !== undefined)('a learner Python script in a warm interpreter', () => {
  const root = tempDir('warm-python-test-');
  const original = path.join(root, 'class', 'alice');
  const bin = path.join(original, 'backend-flask', 'bin', 'ddb');
  mkdirSync(path.join(bin, 'shadow'), { recursive: true });
  writeFileSync(path.join(bin, 'probe'), PROBE, { mode: 0o755 });
  writeFileSync(path.join(bin, 'broken'), '#!/usr/bin/env python3\nprint("before"\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'shadow', 'probe'), PROBE, { mode: 0o755 });
  writeFileSync(path.join(bin, 'slow'), '#!/usr/bin/env python3\nimport time\nopen("written.txt", "w").write("by the step")\nprint("wrote", flush=True)\ntime.sleep(30)\n', { mode: 0o755 });
  // A module of the script's own folder named like one the spare imported: a cold start would import this one.
  writeFileSync(path.join(bin, 'shadow', 'json.py'), 'from importlib import import_module\nimport sys\ndel sys.modules["json"]\nsys.path.pop(0)\nglobals().update(import_module("json").__dict__)\nprint("own json")\n');
  const copy = makePrivateCopy(original, { uid: UID, gid: UID });
  const settings = (warm: boolean): SandboxSettings => ({
    support,
    uid: UID,
    limits: { processes: 64, memoryMb: 2048, fileSizeMb: 16, cpuSeconds: 10 },
    hidden: [path.join(root, 'class'), SUITE_ROOT],
    mounted: [],
    warm,
  });
  const run = (script: string, args: string[], warm: boolean, timeoutMs = 20_000) =>
    runLearnerProcess(
      {
        file: 'bash',
        args: ['-c', '"$0" "$@"', script, ...args],
        script: { path: script, args },
        repository: copy.dir,
        cwd: path.join(copy.dir, 'backend-flask'),
        env: { PATH, LANG: 'C.UTF-8' },
        timeoutMs,
        outputLimitBytes: 1024 * 1024,
      },
      settings(warm),
    );
  const seen = (stdout: string) => JSON.parse(stdout.split('\n').find((line) => line.startsWith('{')) ?? '{}') as Record<string, unknown>;
  afterAll(async () => {
    await endSpare();
    copy.dispose();
  });

  it('sees what a cold start sees: argv, __file__, __main__, sys.path[0], cwd, environment, no stdin, no fd 3', async () => {
    const cold = await run('./bin/ddb/probe', ['a b'], false);
    expect(cold.exitCode, cold.stderr).toBe(0);
    await run('./bin/ddb/probe', ['a b'], true); // starts the spare
    const warm = await run('./bin/ddb/probe', ['a b'], true);
    expect(warm.exitCode, warm.stderr).toBe(0);
    const [c, w] = [seen(cold.stdout), seen(warm.stdout)];
    expect(c.warm).toBe(false);
    expect(w.warm).toBe(true);
    expect({ ...w, warm: undefined }).toEqual({ ...c, warm: undefined });
    expect(c).toMatchObject({ argv: ['./bin/ddb/probe', 'a b'], file: '/workspace/alice/backend-flask/./bin/ddb/probe', name: '__main__', path0: '/workspace/alice/backend-flask/bin/ddb', stdin: '', fd3: false, uid: UID });
    expect(warm.stderr).toBe('');
    expect(warm.cpuMs).toBeGreaterThan(0);
  });

  it('fails as a cold start fails: the same traceback and exit status, sys.exit kept, a syntax error shown alike', async () => {
    const strip = (text: string) => text.replace(/"warm": (true|false)/, '');
    for (const [script, args] of [['./bin/ddb/probe', ['fail']], ['./bin/ddb/probe', ['exit']], ['./bin/ddb/broken', []]] as const) {
      const cold = await run(script, [...args], false);
      await run(script, [...args], true);
      const warm = await run(script, [...args], true);
      expect({ exit: warm.exitCode, stderr: warm.stderr, stdout: strip(warm.stdout) }).toEqual({ exit: cold.exitCode, stderr: cold.stderr, stdout: strip(cold.stdout) });
    }
    const failed = await run('./bin/ddb/probe', ['fail'], true);
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/^Traceback \(most recent call last\):\n {2}File "\/workspace\/alice\/backend-flask\/\.\/bin\/ddb\/probe", line \d+, in <module>\n/);
    expect(failed.stderr).toMatch(/ValueError: broken on purpose\n$/);
  });

  it('runs cold when the script folder has a module of a name the spare imported, as a cold start would import it', async () => {
    await run('./bin/ddb/shadow/probe', [], true);
    const shadowed = await run('./bin/ddb/shadow/probe', [], true);
    expect(shadowed.exitCode, shadowed.stderr).toBe(0);
    expect(shadowed.stdout).toMatch(/^own json\n/);
    expect(seen(shadowed.stdout).warm).toBe(false);
  });

  it('writes into its copy, which is back in place after the step; its timeout runs from its order, not its start', async () => {
    await run('./bin/ddb/slow', [], true, 3_000);
    rmSync(path.join(copy.dir, 'backend-flask', 'written.txt'), { force: true });
    // Longer than the timeout: a spare that waits is not a step that runs.
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    const slow = await run('./bin/ddb/slow', [], true, 3_000);
    expect(slow.stdout).toBe('wrote\n');
    expect(slow.timedOut).toBe(true);
    expect(slow.durationMs).toBeLessThan(6_000);
    expect(readFileSync(path.join(copy.dir, 'backend-flask', 'written.txt'), 'utf8')).toBe('by the step');
    expect(existsSync(path.join(copy.dir, 'backend-flask', 'bin', 'ddb', 'probe'))).toBe(true);
  });

  it('leaves no process behind once the spare is ended', async () => {
    await run('./bin/ddb/probe', [], true);
    expect(spawnSync('pgrep', ['-u', String(UID)], { encoding: 'utf8' }).stdout.trim()).not.toBe('');
    await endSpare();
    for (let waited = 0; waited < 3_000 && spawnSync('pgrep', ['-u', String(UID)]).status === 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spawnSync('pgrep', ['-au', String(UID)], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });
});
