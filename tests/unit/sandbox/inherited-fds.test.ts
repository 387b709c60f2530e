import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SUITE_ROOT } from '../../../src/config/suite-root.ts';
import { TYPESCRIPT_ARGS } from '../../../src/runner/node-args.ts';
import { tempDir } from '../../grader/fixtures.ts';

describe("a learner process and the grader's inherited descriptors", () => {
  it('gets none of the descriptors the grader inherited open from whatever started it, only stdio', () => {
    const dir = tempDir('cruddur-inherited-fds-');
    const log = path.join(dir, 'parent.log');
    writeFileSync(log, 'the parent log\n');
    // A grader started with a descriptor left open for it (fd 20: a log of the shell or runner that started it).
    const script = path.join(dir, 'grader.ts');
    writeFileSync(
      script,
      `import { existsSync } from 'node:fs';
import { runProcess } from ${JSON.stringify(path.join(SUITE_ROOT, 'src/sandbox/run-process.ts'))};
const before = existsSync('/proc/self/fd/20');
const learner = await runProcess('bash', ['-c', 'ls /proc/self/fd; echo written by the learner >&20'], { cwd: '/', env: { PATH: process.env.PATH }, timeoutMs: 10_000, outputLimitBytes: 65_536 });
console.log(JSON.stringify({ before, fds: learner.stdout.split('\\n').filter(Boolean), stderr: learner.stderr }));
`,
    );
    const grader = spawnSync('bash', ['-c', 'exec "$@" 20>>"$PARENT_LOG"', 'bash', process.execPath, ...TYPESCRIPT_ARGS, script], {
      cwd: SUITE_ROOT,
      env: { ...process.env, PARENT_LOG: log },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(grader.status, grader.stderr).toBe(0);
    const seen = JSON.parse(grader.stdout.trim().split('\n').pop() ?? '{}') as { before: boolean; fds: string[]; stderr: string };
    expect(seen.before).toBe(true);
    // 0-2 and the listing's own descriptor of /proc/self/fd.
    expect(seen.fds.filter((n) => Number(n) > 3)).toEqual([]);
    expect(seen.stderr).toMatch(/20: Bad file descriptor/);
    expect(readFileSync(log, 'utf8')).toBe('the parent log\n');
  });
});
