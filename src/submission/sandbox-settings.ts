import type { LabConfig } from '../config/load-config.ts';
import { SUITE_ROOT } from '../config/suite-root.ts';
import { ConfigError } from '../errors.ts';
import { withRealPaths } from '../real-paths.ts';
import { detectSandbox } from '../sandbox/detect.ts';
import type { SandboxSettings } from '../sandbox/run-learner.ts';
import { claimUid, type UidClaim } from '../sandbox/uid-claim.ts';
import { pythonShim } from './step-env.ts';

let claimed: UidClaim | undefined;

/** The uid learner code runs as: a grading worker's was claimed for it by the pool; any other run claims one. */
function sandboxUid(config: LabConfig, privileged: boolean): number {
  if (!privileged || process.env.LAB_WORKER_INDEX !== undefined) return config.sandboxUid;
  if (!claimed) {
    const claim = claimUid(config.sandboxUid);
    process.once('exit', () => claim.release());
    claimed = claim;
  }
  return claimed.uid;
}

/**
 * How this run's learner processes are sandboxed. An explicit LAB_SANDBOX=namespaces that cannot work here is
 * a setup problem (nothing is graded); under `auto` the run goes on without namespaces and says why.
 */
export function sandboxSettings(config: LabConfig): SandboxSettings {
  const support = detectSandbox(config.sandbox, config.sandboxUid);
  if (config.sandbox === 'namespaces' && support.mode === 'none') {
    throw new ConfigError(`LAB_SANDBOX=namespaces, but learner code cannot be sandboxed here: ${support.reason}. Fix that, or set LAB_SANDBOX=auto to grade without the sandbox.`);
  }
  const shim = pythonShim(config.cacheDir);
  const submission = config.submission === 'reference' ? [] : [config.submission];
  return {
    support,
    uid: sandboxUid(config, support.mode === 'namespaces' && support.privileged),
    limits: config.limits,
    // A hidden place reached through a symlink is hidden where it really is too.
    hidden: withRealPaths([SUITE_ROOT.replace(/\/$/, ''), config.resultsDir, config.cacheDir, ...submission, ...config.sandboxHidden]),
    mounted: shim ? [{ host: shim, inside: '/run/python-path' }] : [],
    warm: config.warmPython,
  };
}
