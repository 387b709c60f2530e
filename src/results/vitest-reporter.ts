import path from 'node:path';
import type { Reporter, SerializedError, TestModule, Vitest } from 'vitest/node';
import { loadConfig } from '../config/load-config.ts';
import { SUITE_ROOT } from '../config/suite-root.ts';
import { errorMessage } from '../errors.ts';
import { withRealPaths } from '../real-paths.ts';
import type { LabDefinition } from '../labkit/define-lab.ts';
import type { LabTaskMeta } from '../labkit/meta.ts';
import '../labkit/provided.ts';
import { describeSandbox } from '../sandbox/describe.ts';
import { sandboxSettings } from '../submission/sandbox-settings.ts';
import type { ServiceFacts } from '../services/types.ts';
import { buildResults, taskIdentities, unverifiedTask } from './build-results.ts';
import type { RunResults, SandboxReport, Status, TaskResult } from './model.ts';
import { trace } from '../trace.ts';
import { unverifiedReason } from './unverified-reason.ts';
import { writeResults } from './write-results.ts';

/**
 * Turns the lab specs' tests into the one results file. Tasks that never reported (their spec did not
 * load, the run was interrupted) are recorded as `error`, so the file always lists every task of every lab
 * that was part of the run.
 */
export class LabResultsReporter implements Reporter {
  private vitest: Vitest | undefined;
  private startedAt = new Date();

  constructor(private readonly labs: readonly LabDefinition[]) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  /** A kept runner (grading worker, watch mode) starts run after run: each run's results have their own start. */
  onTestRunStart(): void {
    this.startedAt = new Date();
    trace('reporter', 'run started');
  }

  async onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): Promise<void> {
    trace('reporter', 'run ended');
    // A spec belongs to the lab whose folder (where its README is) holds it; other test files are not labs.
    // (by its path as given and as it really is: the suite may be reached through a symlink).
    const folders = this.labs.flatMap((lab) =>
      withRealPaths([path.resolve(SUITE_ROOT, path.dirname(lab.readme))]).map((dir) => ({ lab, folder: `${dir}${path.sep}` })),
    );
    const labModules = modules.flatMap((module) => {
      const found = folders.find(({ folder }) => module.moduleId.startsWith(folder));
      return found ? [{ module, lab: found.lab }] : [];
    });
    if (labModules.length === 0) return;
    const tests: TaskResult[] = [];
    for (const { module, lab } of labModules) {
      const seen = new Set<string>();
      const skipped = new Set<string>();
      for (const testCase of module.children.allTests()) {
        const meta = testCase.meta().labTask as LabTaskMeta | undefined;
        const result = testCase.result();
        if (!meta) continue;
        // A task that did not run counts only when it recorded why (an optional tool was missing); one left out
        // (a name filter, .only, .skip) is said to be skipped; one still pending was never reached.
        if ((result.state === 'skipped' || result.state === 'pending') && !meta.status) {
          if (result.state === 'skipped') skipped.add(meta.task_id);
          continue;
        }
        seen.add(meta.task_id);
        const status: Status = meta.status ?? (result.state === 'passed' ? 'pass' : 'error');
        const firstError = result.state === 'failed' ? result.errors[0]?.message : undefined;
        tests.push({
          task_id: meta.task_id,
          lab: meta.lab,
          name: meta.name,
          status,
          score: status === 'pass' ? meta.points : 0,
          max_score: meta.points,
          message: meta.message ?? firstError ?? '',
          output: meta.output ?? '',
          hint: meta.hint,
          ...(meta.evidence && Object.keys(meta.evidence).length > 0 ? { evidence: meta.evidence } : {}),
          duration_ms: Math.round(testCase.diagnostic()?.duration ?? 0),
        });
      }
      for (const task of taskIdentities(lab)) {
        if (seen.has(task.task_id)) continue;
        tests.push(unverifiedTask(task, unverifiedReason(module.moduleId, { skipped: skipped.has(task.task_id), moduleErrors: module.errors(), unhandledErrors })));
      }
    }
    await writeResults(resultsDir(), this.build(tests));
  }

  private build(tests: TaskResult[]): RunResults {
    let services: ServiceFacts | null = null;
    let servicesError: string | null = null;
    for (const project of this.vitest?.projects ?? []) {
      const provided = project.getProvidedContext();
      services ??= provided.labServices ?? null;
      servicesError ??= provided.labServicesError ?? null;
    }
    let submission: RunResults['submission'] = { kind: 'reference' };
    let sandbox: SandboxReport = { mode: 'none', reason: 'no learner code ran: the reference solution runs inside the suite' };
    try {
      const config = loadConfig();
      if (config.submission !== 'reference') {
        submission = { kind: config.submission.endsWith('.json') ? 'steps-file' : 'repository', path: config.submission };
        // A grading worker has a network namespace of its own; `npm test` on a repository shares this machine's.
        const network = process.env.LAB_WORKER_NETWORK === 'worker' ? 'worker' : 'host';
        const settings = sandboxSettings(config);
        sandbox = describeSandbox(settings.support, { network, uid: settings.uid, limits: config.limits });
      }
    } catch (error) {
      servicesError ??= errorMessage(error);
    }
    const titles = Object.fromEntries(this.labs.map((l) => [l.id, l.title]));
    return buildResults(tests, titles, { startedAt: this.startedAt, services, submission, sandbox, ...(servicesError ? { message: servicesError } : {}) });
  }
}

/**
 * Where the results go. A configuration that does not load (a bad LAB_* value) still gets its results, with the
 * reason as the run's message (see build): in LAB_RESULTS_DIR as given, or in `reports`.
 */
function resultsDir(): string {
  try {
    return loadConfig().resultsDir;
  } catch {
    return path.resolve(process.env.LAB_RESULTS_DIR?.trim() || 'reports');
  }
}
