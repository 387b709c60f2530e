import path from 'node:path';
import { reaper } from '../services/reaper.ts';
import { bwrapArgs } from './bwrap-args.ts';
import { isPythonScript } from './python-preloader.ts';
import { removeTree } from './remove-tree.ts';
import { runProcess, type ProcessOutcome } from './run-process.ts';
import { learnerOwner, makeHome, openBox, outcomeOf, planOf, sandboxEnv, type LearnerCommand, type SandboxSettings } from './sandbox-box.ts';
import { runWarm } from './warm-python.ts';

export type { LearnerCommand, SandboxSettings } from './sandbox-box.ts';

/**
 * The one way learner code runs: in the sandbox when namespaces work here, else as a plain child process in
 * its own process group (today's mode, recorded as `none`). Both get a timeout and an output cap; the
 * sandbox adds namespaces, an unprivileged uid and resource limits, and names the limit a process hit.
 */
export async function runLearnerProcess(command: LearnerCommand, settings: SandboxSettings): Promise<ProcessOutcome> {
  const { support } = settings;
  const owner = learnerOwner(settings);
  const options = { timeoutMs: command.timeoutMs, outputLimitBytes: command.outputLimitBytes };
  if (support.mode !== 'namespaces') {
    const home = makeHome(owner);
    try {
      return await runProcess(command.file, command.args, { ...options, cwd: command.cwd, env: { ...command.env, HOME: home } });
    } finally {
      removeTree(home);
      reaper.untrackDirectory(home);
    }
  }
  const env = sandboxEnv(command, settings);
  const { script } = command;
  if (settings.warm && owner && script && isPythonScript(path.resolve(command.cwd, script.path))) {
    const warm = await runWarm({ ...command, script }, env, settings, owner);
    if (warm) return warm;
  }
  const box = openBox(owner);
  try {
    const plan = planOf(box, command, settings, { host: command.repository, name: path.basename(command.repository) }, path.relative(command.repository, command.cwd) || '.');
    const run = await runProcess('bwrap', bwrapArgs(plan, [command.file, ...command.args]), { ...options, cwd: '/', env });
    return outcomeOf(run, box, settings);
  } finally {
    box.close();
  }
}
