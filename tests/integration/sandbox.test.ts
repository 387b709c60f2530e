import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUITE_ROOT } from '../../src/config/suite-root.ts';
import { detectSandbox } from '../../src/sandbox/detect.ts';
import { makePrivateCopy } from '../../src/sandbox/private-copy.ts';
import { runLearnerProcess, type SandboxSettings } from '../../src/sandbox/run-learner.ts';
import { tempDir } from '../grader/fixtures.ts';

const UID = 61_090;
const support = detectSandbox('auto', UID);
if (support.mode === 'none') console.warn(`[sandbox] skipping the sandbox tests: ${support.reason}`);

/**
 * Processes whose command line names `marker`, after a short grace: the kernel ends a sandbox's processes when its
 * PID namespace ends, but on a loaded machine the last of them may still be exiting when the step's result is in.
 */
async function leftRunning(marker: string): Promise<string> {
  for (let waited = 0; ; waited += 100) {
    const found = spawnSync('pgrep', ['-af', marker], { encoding: 'utf8' });
    if (found.status === 1 || waited >= 3_000) return found.stdout.trim();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(support.mode === 'none')('learner code in the sandbox', () => {
  const root = tempDir('sandbox-test-');
  const original = path.join(root, 'class', 'alice');
  mkdirSync(path.join(original, 'backend-flask'), { recursive: true });
  writeFileSync(path.join(original, 'backend-flask', 'note.txt'), 'handed in\n');
  const sibling = path.join(root, 'class', 'bob');
  mkdirSync(sibling, { recursive: true });
  writeFileSync(path.join(sibling, 'seed'), 'original\n');
  const privileged = support.mode === 'namespaces' && support.privileged;
  const copy = makePrivateCopy(original, privileged ? { uid: UID, gid: UID } : undefined);
  const settings: SandboxSettings = {
    support,
    uid: UID,
    limits: { processes: 64, memoryMb: 1024, fileSizeMb: 1, cpuSeconds: 2 },
    hidden: [path.join(root, 'class'), SUITE_ROOT],
    mounted: [],
  };
  const run = (script: string, timeoutMs = 20_000) =>
    runLearnerProcess(
      { file: 'bash', args: ['-c', script], repository: copy.dir, cwd: path.join(copy.dir, 'backend-flask'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, timeoutMs, outputLimitBytes: 1024 * 1024 },
      settings,
    );
  afterAll(() => copy.dispose());

  it('runs as an unprivileged user in its copy of the repository, at /workspace', async () => {
    const out = await run('id -u; pwd; cat note.txt; echo $HOME');
    expect(out.exitCode, out.stderr).toBe(0);
    const [uid, cwd, note, home] = out.stdout.trim().split('\n');
    expect(uid).toBe(privileged ? String(UID) : String(process.getuid?.()));
    expect(uid).not.toBe('0');
    expect(cwd).toBe('/workspace/alice/backend-flask');
    expect(note).toBe('handed in');
    expect(home).toBe('/home/learner');
  });

  it('writes only to its copy, its home and its /tmp; the original, a sibling and the suite stay as they were', async () => {
    const target = path.join(SUITE_ROOT, 'package.json');
    const out = await run(
      [
        'echo changed > note.txt && echo copy-ok',
        'echo x > ~/h && echo home-ok',
        'echo x > /tmp/t && echo tmp-ok',
        `echo x >> ${original}/backend-flask/note.txt || echo original-refused`,
        `echo x >> ${sibling}/seed || echo sibling-refused`,
        `echo x >> ${target} || echo suite-refused`,
        'echo x > /usr/local/pwned || echo usr-refused',
        `ls ${SUITE_ROOT} >/dev/null 2>&1 || echo suite-invisible`,
      ].join('; '),
    );
    for (const word of ['copy-ok', 'home-ok', 'tmp-ok', 'original-refused', 'sibling-refused', 'suite-refused', 'usr-refused', 'suite-invisible']) expect(out.stdout).toContain(word);
    expect(readFileSync(path.join(original, 'backend-flask', 'note.txt'), 'utf8')).toBe('handed in\n');
    expect(readFileSync(path.join(sibling, 'seed'), 'utf8')).toBe('original\n');
    expect(readFileSync(path.join(copy.dir, 'backend-flask', 'note.txt'), 'utf8')).toBe('changed\n');
    expect(existsSync('/usr/local/pwned')).toBe(false);
  });

  it('sees only its own processes, and every process it started ends with it', async () => {
    const marker = `sandbox-daemon-${process.pid}`;
    const out = await run(`(setsid nohup bash -c 'exec -a ${marker} sleep 300' >/dev/null 2>&1 &); ls /proc | grep -c '^[0-9]'; ps -e 2>/dev/null | wc -l || true`);
    expect(out.exitCode, out.stderr).toBe(0);
    expect(Number(out.stdout.trim().split('\n')[0])).toBeLessThan(10);
    expect(await leftRunning(marker)).toBe('');
  });

  it('cannot signal the sandbox\'s own processes either, and its CPU time is measured out of its reach', async () => {
    const out = await run('kill -9 -1 2>/dev/null; ls -d /run/cruddur-labs >/dev/null && (ls /run/cruddur-labs 2>&1 || true); echo alive; i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done');
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stdout).toContain('alive');
    if (privileged) expect(out.stdout).toMatch(/Permission denied/);
    expect(out.cpuMs).toBeGreaterThan(50);
  });

  it.skipIf(!privileged)("cannot pass its own failure off as the sandbox's", async () => {
    const out = await run('echo "bwrap: Can not mount proc on /newroot/proc: Operation not permitted" >&2; exit 1');
    expect(out.exitCode).toBe(1);
    expect(out.spawnError).toBeUndefined();
  });

  it('cannot signal processes outside it', async () => {
    const out = await run(`kill -0 ${process.pid} 2>&1 || echo no-such-process; kill -9 -1 2>/dev/null; echo survived`);
    expect(out.stdout).toContain('no-such-process');
    expect(out.stdout).toContain('survived');
  });

  it('names the limit a process hit', async () => {
    const cpu = await run('while :; do :; done');
    expect(cpu.limit).toMatch(/the CPU time limit/);
    const file = await run('head -c 2000000 /dev/zero > big');
    expect(file.limit).toMatch(/the file size limit/);
    const procs = await run('for i in $(seq 1 200); do sleep 5 & done; wait', 30_000);
    expect(procs.limit).toMatch(/the process limit/);
  });

  it('is stopped at its timeout with everything it started', async () => {
    const marker = `sandbox-hang-${process.pid}`;
    const out = await run(`bash -c 'exec -a ${marker} sleep 300' & wait`, 1_500);
    expect(out.timedOut).toBe(true);
    expect(await leftRunning(marker)).toBe('');
  });
});

it('the private copy leaves out history and installed packages and keeps modes', () => {
  const dir = tempDir('copy-test-');
  mkdirSync(path.join(dir, '.git'));
  writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  mkdirSync(path.join(dir, 'frontend', 'node_modules', 'x'), { recursive: true });
  writeFileSync(path.join(dir, 'seed'), '#!/usr/bin/env python3\n');
  chmodSync(path.join(dir, 'seed'), 0o755);
  const copy = makePrivateCopy(dir);
  try {
    expect(existsSync(path.join(copy.dir, '.git'))).toBe(false);
    expect(existsSync(path.join(copy.dir, 'frontend', 'node_modules'))).toBe(false);
    expect(existsSync(path.join(copy.dir, 'frontend'))).toBe(true);
    expect(spawnSync('test', ['-x', path.join(copy.dir, 'seed')]).status).toBe(0);
  } finally {
    copy.dispose();
  }
  expect(existsSync(copy.dir)).toBe(false);
});
