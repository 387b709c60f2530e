import { describe, expect, it } from 'vitest';
import { stepProblem } from '../../src/labkit/step-checks.ts';
import type { StepRun } from '../../src/submission/types.ts';

const ok: StepRun = { step: 'list-tables', command: './bin/ddb/list-tables', exitCode: 0, signal: null, timedOut: false, outputLimited: false, durationMs: 5, stdout: 'cruddur-messages\n', stderr: '' };

describe('stepProblem', () => {
  it('accepts a clean exit', () => {
    expect(stepProblem(ok)).toBeUndefined();
  });

  it('reports a timeout with its length and likely causes', () => {
    expect(stepProblem({ ...ok, timedOut: true, exitCode: null, signal: 'SIGKILL' }, 30_000)).toMatch(/timed out after 30 s.*`db`/s);
  });

  it('names a broken shebang and a missing execute bit', () => {
    expect(stepProblem({ ...ok, exitCode: 126, stderr: 'bash: ./bin/ddb/list-tables: /usr/bin/evn: bad interpreter: No such file or directory' })).toMatch(/broken shebang/);
    expect(stepProblem({ ...ok, exitCode: 127, stderr: 'bash: line 1: ./bin/ddb/list-tables: cannot execute: required file not found' })).toMatch(/broken shebang/);
    expect(stepProblem({ ...ok, exitCode: 126, stderr: 'bash: line 1: ./bin/ddb/seed: Permission denied' })).toMatch(/chmod u\+x/);
  });

  it('quotes the last lines of a traceback for a non-zero exit', () => {
    const stderr = 'Traceback (most recent call last):\n  File "seed", line 30\nKeyError: \'items\'\n';
    expect(stepProblem({ ...ok, exitCode: 1, stderr })).toMatch(/exited with code 1.*KeyError: 'items'/s);
  });

  it('fails a script that exits 0 while bash reports an error in it', () => {
    const stderr = './bin/ddb/list-tables: line 7: --endpoint-url=http://localhost:8000: command not found\n';
    expect(stepProblem({ ...ok, stderr })).toMatch(/bash reported an error.*command not found/s);
  });

  it('does not mistake ordinary stderr for a shell error', () => {
    expect(stepProblem({ ...ok, stderr: 'WARNING: something harmless\nNo such file or directory in a message\n' })).toBeUndefined();
  });

  it('says so when a script reached for a host outside this machine', () => {
    const stderr = 'botocore.exceptions.ProxyConnectionError: Failed to connect to proxy URL: "http://127.0.0.1:9"\n';
    expect(stepProblem({ ...ok, exitCode: 1, stderr })).toMatch(/tried to reach a host outside this machine/);
  });

  it('reports output over the limit', () => {
    expect(stepProblem({ ...ok, outputLimited: true, exitCode: null })).toMatch(/more output than the grader keeps/);
  });
});
