import type { SandboxSupport } from './detect.ts';
import type { SandboxLimits } from './limits.ts';

/** How learner code ran, for the results file, the summary and the journal. */
export interface SandboxDescription {
  mode: 'namespaces' | 'none';
  detail?: string;
  reason?: string;
}

/**
 * Says in one line what the sandbox gave learner code. `network` is `worker` when the grading worker had its own
 * network namespace (only loopback), `host` when learner code shared this machine's network.
 */
export function describeSandbox(support: SandboxSupport, options: { network: 'worker' | 'host'; uid: number; limits: SandboxLimits }): SandboxDescription {
  if (support.mode === 'none') return { mode: 'none', reason: support.reason };
  const { limits } = options;
  const network =
    options.network === 'worker'
      ? "network: the grading worker's own namespace (loopback only: its DynamoDB Local and Postgres)"
      : "network: this machine's (outside requests go to a closed local proxy)";
  const user = support.privileged ? `uid ${options.uid}` : 'the calling user in a user namespace';
  return {
    mode: 'namespaces',
    detail:
      `${support.tool}: own PID, IPC and UTS namespaces, ${network}; ${user}; writable: only its private copy, home and /tmp; ` +
      `limits: ${limits.processes} processes, ${limits.memoryMb} MiB memory, ${limits.fileSizeMb} MiB files, ${limits.cpuSeconds} s CPU`,
  };
}
