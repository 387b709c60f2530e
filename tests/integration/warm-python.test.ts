import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SUITE_ROOT } from '../../src/config/suite-root.ts';
import { detectSandbox } from '../../src/sandbox/detect.ts';
import { makePrivateCopy } from '../../src/sandbox/private-copy.ts';
import { runLearnerProcess, type SandboxSettings } from '../../src/sandbox/run-learner.ts';
import { endResident } from '../../src/sandbox/warm-python.ts';
import { tempDir } from '../grader/fixtures.ts';

const UID = 61_091;
const support = detectSandbox('auto', UID);
const privileged = support.mode === 'namespaces' && support.privileged;
const skipReason = privileged ? undefined : support.mode === 'none' ? support.reason : 'a warm interpreter is only used as root';
if (skipReason) console.warn(`[warm-python] skipping: ${skipReason}`);

/** The interpreter's own folder first, as a step's environment has it (a version manager's shim is a shell script). */
const pythonBin = spawnSync('python3', ['-c', 'import os, sys; print(os.path.dirname(os.path.realpath(sys.executable)))'], { encoding: 'utf8' }).stdout.trim();
const PATH = [pythonBin, process.env.PATH ?? '/usr/bin:/bin'].filter(Boolean).join(':');

/** What a script sees of how it was started: the same cold and warm, but for what the resident imported ahead. */
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
  // A module of the script's own folder named like one the resident imported: a cold start would import this one.
  writeFileSync(path.join(bin, 'shadow', 'json.py'), 'from importlib import import_module\nimport sys\ndel sys.modules["json"]\nsys.path.pop(0)\nglobals().update(import_module("json").__dict__)\nprint("own json")\n');
  // Scripts that leave things behind, and one that looks for them.
  writeFileSync(
    path.join(bin, 'litter'),
    `#!/usr/bin/env python3
import os, subprocess, sys
subprocess.Popen(['sleep', '300'], start_new_session=True)
subprocess.Popen(['sh', '-c', '(sleep 300 &) ; sleep 2; echo late'])
for place in ('/tmp', '/dev/shm', os.environ['HOME']):
    os.makedirs(os.path.join(place, 'left', 'locked'))
    open(os.path.join(place, 'left', 'locked', 'file'), 'w').write('x')
    os.chmod(os.path.join(place, 'left', 'locked'), 0)
sys.stdout.write('no newline')
sys.stderr.write('on stderr')
`,
    { mode: 0o755 },
  );
  writeFileSync(
    path.join(bin, 'look'),
    `#!/usr/bin/env python3
import json, os
def mine(pid):
    try:
        return os.stat('/proc/' + pid).st_uid == os.getuid() and int(pid) not in (os.getpid(), os.getppid())
    except OSError:
        return False
print(json.dumps({
    'processes': sorted(open('/proc/%s/cmdline' % pid).read() for pid in os.listdir('/proc') if pid.isdigit() and mine(pid)),
    'left': {place: os.listdir(place) for place in ('/tmp', '/dev/shm', os.environ['HOME'])},
    'hash': hash('probe'),
    'name': open('/proc/self/comm').read().strip(),
    'warm': 'json' in __import__('sys').modules and 'botocore' in __import__('sys').modules,
}))
`,
    { mode: 0o755 },
  );
  // What building a DynamoDB client reads of the SDK's own data files, and what it takes from the environment.
  writeFileSync(
    path.join(bin, 'client'),
    `#!/usr/bin/env python3
import json, os, sys
warm = 'botocore' in sys.modules
read = []
sys.addaudithook(lambda event, args: read.append(str(args[0])) if event == 'open' and 'botocore' in str(args[0]) and '/data/' in str(args[0]) else None)
import boto3
os.environ.update(AWS_ACCESS_KEY_ID='set-by-the-script', AWS_SECRET_ACCESS_KEY='secret', AWS_EC2_METADATA_DISABLED='true')
client = boto3.client('dynamodb', endpoint_url='http://localhost:8000', region_name='eu-west-3')
print(json.dumps({
    'warm': warm,
    'read': sorted(os.path.basename(os.path.dirname(name)) + '/' + os.path.basename(name) for name in read),
    'key': client._request_signer._credentials.access_key,
    'region': client.meta.region_name,
    'endpoint': client.meta.endpoint_url,
    'operations': len(client.meta.service_model.operation_names),
}))
`,
    { mode: 0o755 },
  );
  writeFileSync(path.join(bin, 'parricide'), '#!/usr/bin/env python3\nimport os, signal\nprint("before", flush=True)\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(5)\nprint("after")\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'kill-all'), '#!/usr/bin/env python3\nimport os, signal, subprocess, time\nsubprocess.Popen(["sleep", "300"])\nos.kill(-1, signal.SIGKILL)\nprint("killed", flush=True)\ntime.sleep(0.2)\nprint("still here")\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'signalled'), '#!/usr/bin/env python3\nimport os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'spin'), '#!/usr/bin/env python3\nwhile True:\n    pass\n', { mode: 0o755 });
  writeFileSync(
    path.join(bin, 'ending'),
    `#!/usr/bin/env python3
import atexit, sys, threading, time
from ending_pool import pool
left_open = open('ending.txt', 'w')
left_open.write('never closed')
class Noisy:
    def __del__(self):
        print('deleted', flush=True)
keep = Noisy()
atexit.register(lambda: print('atexit'))
threading.Thread(target=lambda: (time.sleep(0.3), print('thread done', flush=True))).start()
print('buffered', end='')
how = sys.argv[1] if len(sys.argv) > 1 else ''
if how == 'three':
    sys.exit(3)
if how == 'message':
    sys.exit('a message')
if how == 'interrupt':
    raise KeyboardInterrupt
`,
    { mode: 0o755 },
  );
  // A module of the repository holding a pool whose finalizer uses another module: ended while both are intact.
  writeFileSync(path.join(bin, 'ending_pool.py'), 'import ending_clock\nclass Pool:\n    def __del__(self):\n        print("pool closed at", ending_clock.now())\npool = Pool()\n');
  writeFileSync(path.join(bin, 'ending_clock.py'), 'def now():\n    return "the end"\n');
  const copy = makePrivateCopy(original, { uid: UID, gid: UID });
  const settings = (warm: boolean, cpuSeconds = 10): SandboxSettings => ({
    support,
    uid: UID,
    limits: { processes: 64, memoryMb: 2048, fileSizeMb: 16, cpuSeconds },
    hidden: [path.join(root, 'class'), SUITE_ROOT],
    mounted: [],
    warm,
  });
  const run = (script: string, args: string[], warm: boolean, timeoutMs = 20_000, more: { source?: string; cpuSeconds?: number } = {}) =>
    runLearnerProcess(
      {
        file: 'bash',
        args: ['-c', '"$0" "$@"', script, ...args],
        script: { path: script, args },
        repository: copy.dir,
        ...(more.source ? { source: more.source } : {}),
        cwd: path.join(copy.dir, 'backend-flask'),
        env: { PATH, LANG: 'C.UTF-8' },
        timeoutMs,
        outputLimitBytes: 1024 * 1024,
      },
      settings(warm, more.cpuSeconds),
    );
  const seen = (stdout: string) => JSON.parse(stdout.split('\n').find((line) => line.startsWith('{')) ?? '{}') as Record<string, unknown>;
  afterAll(async () => {
    await endResident();
    copy.dispose();
  });

  it('sees what a cold start sees: argv, __file__, __main__, sys.path[0], cwd, environment, no stdin, no fd 3', async () => {
    const cold = await run('./bin/ddb/probe', ['a b'], false);
    expect(cold.exitCode, cold.stderr).toBe(0);
    await run('./bin/ddb/probe', ['a b'], true); // starts the resident
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

  it("builds a DynamoDB client from the SDK's data the resident read once, with the step's own credentials and settings", async () => {
    const cold = await run('./bin/ddb/client', [], false);
    expect(cold.exitCode, cold.stderr).toBe(0);
    await run('./bin/ddb/client', [], true);
    const warm = await run('./bin/ddb/client', [], true);
    expect(warm.exitCode, warm.stderr).toBe(0);
    const [c, w] = [seen(cold.stdout), seen(warm.stdout)];
    expect(c.warm).toBe(false);
    expect(w.warm).toBe(true);
    // Cold, the client reads the DynamoDB model and endpoint rules; warm, nothing: the resident's loader has them.
    expect(c.read).toEqual(expect.arrayContaining([expect.stringMatching(/^2012-08-10\/service-2\.json/), expect.stringMatching(/^2012-08-10\/endpoint-rule-set-1\.json/)]));
    expect(w.read).toEqual([]);
    expect({ ...w, warm: undefined, read: undefined }).toEqual({ ...c, warm: undefined, read: undefined });
    expect(c).toMatchObject({ key: 'set-by-the-script', region: 'eu-west-3', endpoint: 'http://localhost:8000' });
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

  it('runs cold when the script folder has a module of a name the resident imported, as a cold start would import it', async () => {
    await run('./bin/ddb/shadow/probe', [], true);
    const shadowed = await run('./bin/ddb/shadow/probe', [], true);
    expect(shadowed.exitCode, shadowed.stderr).toBe(0);
    expect(shadowed.stdout).toMatch(/^own json\n/);
    expect(seen(shadowed.stdout).warm).toBe(false);
  });

  it('writes into its copy, which is back in place after the step; its timeout runs from its order, not its start', async () => {
    await run('./bin/ddb/slow', [], true, 3_000);
    rmSync(path.join(copy.dir, 'backend-flask', 'written.txt'), { force: true });
    // Longer than the timeout: a resident that waits is not a step that runs.
    await new Promise((resolve) => setTimeout(resolve, 3_300));
    const slow = await run('./bin/ddb/slow', [], true, 3_000);
    expect(slow.stdout).toBe('wrote\n');
    expect(slow.timedOut).toBe(true);
    expect(slow.durationMs).toBeLessThan(6_000);
    expect(readFileSync(path.join(copy.dir, 'backend-flask', 'written.txt'), 'utf8')).toBe('by the step');
    expect(existsSync(path.join(copy.dir, 'backend-flask', 'bin', 'ddb', 'probe'))).toBe(true);
  });

  it("ends every process of a step, detached or not, and empties /tmp, /dev/shm and the home before the next; each step's output is its own", async () => {
    const cold = await run('./bin/ddb/litter', [], false);
    await run('./bin/ddb/look', [], true); // starts the resident
    const warm = await run('./bin/ddb/litter', [], true);
    expect({ out: warm.stdout, err: warm.stderr, exit: warm.exitCode }).toEqual({ out: cold.stdout, err: cold.stderr, exit: cold.exitCode });
    expect(warm).toMatchObject({ stdout: 'no newline', stderr: 'on stderr', exitCode: 0 });
    const after = await run('./bin/ddb/look', [], true);
    expect(after.stderr).toBe('');
    expect(seen(after.stdout)).toMatchObject({ warm: true, name: 'python3', processes: [], left: { '/tmp': [], '/dev/shm': [], '/home/learner': [] } });
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const later = await run('./bin/ddb/look', [], true);
    expect(later.stdout).not.toMatch(/late/);
    expect(seen(later.stdout).hash).toBe(seen(after.stdout).hash);
  });

  it('serves one repository as handed in: the steps of another get a resident of their own', async () => {
    await run('./bin/ddb/look', [], true, 20_000, { source: path.join(root, 'class', 'alice') });
    const alice = seen((await run('./bin/ddb/look', [], true, 20_000, { source: path.join(root, 'class', 'alice') })).stdout);
    const bob = await run('./bin/ddb/look', [], true, 20_000, { source: path.join(root, 'class', 'bob') });
    expect(seen(bob.stdout).warm).toBe(false);
    const bobWarm = seen((await run('./bin/ddb/look', [], true, 20_000, { source: path.join(root, 'class', 'bob') })).stdout);
    expect(bobWarm.warm).toBe(true);
    expect(bobWarm.hash).not.toBe(alice.hash);
  });

  it('reports a death by signal and the CPU limit as a cold start does', async () => {
    for (const [script, cpuSeconds] of [['./bin/ddb/signalled', 10], ['./bin/ddb/spin', 1]] as const) {
      const cold = await run(script, [], false, 20_000, { cpuSeconds });
      await run('./bin/ddb/look', [], true, 20_000, { cpuSeconds });
      const warm = await run(script, [], true, 20_000, { cpuSeconds });
      expect({ exit: warm.exitCode, limit: warm.limit, timedOut: warm.timedOut }).toEqual({ exit: cold.exitCode, limit: cold.limit, timedOut: cold.timedOut });
    }
    const spun = await run('./bin/ddb/spin', [], true, 20_000, { cpuSeconds: 1 });
    expect(spun.limit).toMatch(/more than 1 s of CPU time/);
    expect(spun.exitCode).toBe(152);
  });

  it('ends as python3 ends: threads waited for, atexit functions run, files left open flushed, objects deleted, the exit status kept', async () => {
    const written = path.join(copy.dir, 'backend-flask', 'ending.txt');
    for (const how of ['', 'three', 'message', 'interrupt']) {
      rmSync(written, { force: true });
      const cold = await run('./bin/ddb/ending', [how], false);
      expect(readFileSync(written, 'utf8')).toBe('never closed');
      rmSync(written);
      await run('./bin/ddb/look', [], true);
      const warm = await run('./bin/ddb/ending', [how], true);
      expect(readFileSync(written, 'utf8')).toBe('never closed');
      expect({ out: warm.stdout, err: warm.stderr.replace(/line \d+/g, 'line N'), exit: warm.exitCode }).toEqual({ out: cold.stdout, err: cold.stderr.replace(/line \d+/g, 'line N'), exit: cold.exitCode });
      expect(warm.stdout).toBe('bufferedthread done\natexit\npool closed at the end\ndeleted\n');
    }
  });

  it('a step cannot signal its interpreter, by its pid or with kill -9 -1: it fails or goes on as a cold start does, and the same resident serves the next step', async () => {
    await run('./bin/ddb/look', [], true);
    const before = seen((await run('./bin/ddb/look', [], true)).stdout);
    for (const script of ['./bin/ddb/parricide', './bin/ddb/kill-all']) {
      const cold = await run(script, [], false);
      await run('./bin/ddb/look', [], true);
      const warm = await run(script, [], true);
      expect({ out: warm.stdout, err: warm.stderr, exit: warm.exitCode }).toEqual({ out: cold.stdout, err: cold.stderr, exit: cold.exitCode });
    }
    const parricide = await run('./bin/ddb/parricide', [], true);
    expect(parricide.stdout).toBe('before\n');
    expect(parricide.stderr).toMatch(/PermissionError: \[Errno 1\] Operation not permitted\n$/);
    expect(await run('./bin/ddb/kill-all', [], true)).toMatchObject({ stdout: 'killed\nstill here\n', exitCode: 0 });
    const next = seen((await run('./bin/ddb/look', [], true)).stdout);
    expect(next).toMatchObject({ warm: true, processes: [] });
    // The same resident: the same hash seed as before the attempts.
    expect(next.hash).toBe(before.hash);
  });

  it('leaves no process behind once the resident is ended', async () => {
    await run('./bin/ddb/probe', [], true);
    expect(spawnSync('pgrep', ['-u', String(UID)], { encoding: 'utf8' }).stdout.trim()).not.toBe('');
    await endResident();
    for (let waited = 0; waited < 3_000 && spawnSync('pgrep', ['-u', String(UID)]).status === 0; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(spawnSync('pgrep', ['-au', String(UID)], { encoding: 'utf8' }).stdout.trim()).toBe('');
  });
});
