import { describe, expect, it } from 'vitest';
import { limitProblem } from '../../../src/sandbox/limits.ts';

const limits = { processes: 256, memoryMb: 4096, fileSizeMb: 512, cpuSeconds: 120 };
const outcome = (over: Partial<Parameters<typeof limitProblem>[0]>) => ({ exitCode: 1, signal: null, stdout: '', stderr: '', ...over });

describe('limitProblem', () => {
  it('names the CPU limit for SIGXCPU, reported as a signal or as exit 152', () => {
    expect(limitProblem(outcome({ exitCode: 152 }), limits)).toMatch(/120 s of CPU time \(the CPU time limit, LAB_LIMIT_CPU_SECONDS=120\)/);
    expect(limitProblem(outcome({ exitCode: null, signal: 'SIGXCPU' }), limits)).toMatch(/CPU time limit/);
  });

  it('names the file size limit for SIGXFSZ', () => {
    expect(limitProblem(outcome({ exitCode: 153 }), limits)).toMatch(/larger than 512 MiB \(the file size limit/);
  });

  it('names the process limit when fork fails', () => {
    expect(limitProblem(outcome({ stderr: './bin/ddb/list-tables: fork: retry: Resource temporarily unavailable\n' }), limits)).toMatch(/more than 256 processes .*the process limit, LAB_LIMIT_PROCESSES=256/);
    expect(limitProblem(outcome({ exitCode: null, signal: 'SIGKILL', stderr: 'BlockingIOError: [Errno 11] Resource temporarily unavailable' }), limits)).toMatch(/process limit/);
  });

  it('names the memory limit for a MemoryError', () => {
    expect(limitProblem(outcome({ stderr: 'Traceback (most recent call last):\n  ...\nMemoryError\n' }), limits)).toMatch(/ran out of memory: each process may use 4096 MiB \(the memory limit/);
  });

  it('says nothing for an ordinary failure or a success that printed such words', () => {
    expect(limitProblem(outcome({ stderr: "KeyError: 'items'" }), limits)).toBeUndefined();
    expect(limitProblem(outcome({ exitCode: 0, stdout: 'MemoryError is a Python exception' }), limits)).toBeUndefined();
  });
});
