import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { createVitest, type TestSpecification, type Vitest } from 'vitest/node';
import { SUITE_ROOT } from '../config/suite-root.ts';
import { readResults } from '../renderers/index.ts';
import type { RunResults } from '../results/model.ts';
import { RESULTS_FILE } from '../results/write-results.ts';
import { loadConfig } from '../config/load-config.ts';
import { LABS_PROJECT } from './labs-project.ts';
import { endKeptTestProcesses, keepTestProcesses, prestartTestProcess, remember } from './kept-forks.ts';

/**
 * The lab specs, kept warm for a grading worker and for watch mode: one vitest instance whose configuration and
 * specs survive from one run to the next, and one test process that serves run after run (kept-forks.ts). Each
 * run gets its settings through the environment that vitest hands to the run's test process, and writes its
 * results file where LAB_RESULTS_DIR says.
 */
export class LabRunner {
  private constructor(
    private readonly vitest: Vitest,
    private readonly specs: TestSpecification[],
  ) {}

  /**
   * `output` takes vitest's own output (and its test process's) instead of this process's stdout, and `errors`
   * its error output instead of this process's stderr (by default `output` takes both).
   */
  static async create(output?: Writable, errors: Writable | undefined = output): Promise<LabRunner> {
    const { cacheDir } = loadConfig();
    keepTestProcesses(cacheDir);
    const vitest = await createVitest(
      'test',
      {
        watch: false,
        project: [LABS_PROJECT],
        root: SUITE_ROOT,
        config: path.join(SUITE_ROOT, 'vitest.config.ts'),
        // This process runs the suite's TypeScript (register-typescript.mjs): the config is imported as it is, not
        // bundled by esbuild first (half a second).
        configLoader: 'native',
      },
      {},
      { ...(output ? { stdout: output } : {}), ...(errors ? { stderr: errors } : {}) },
    );
    await vitest.standalone();
    const specs = await vitest.getRelevantTestSpecifications();
    for (const name of new Set(specs.map((s) => s.project.name))) {
      remember(name, { preload: [...new Set(specs.filter((s) => s.project.name === name).flatMap((s) => localImports(s.moduleId)))] });
      prestartTestProcess(cacheDir, name);
    }
    return new LabRunner(vitest, specs);
  }

  /** Runs the labs (all, or those whose folder is named in `only`) with `env` set, and reads their results. */
  async run(env: Record<string, string>, outDir: string, only?: readonly string[]): Promise<RunResults | undefined> {
    const resultsFile = path.join(outDir, RESULTS_FILE);
    await rm(resultsFile, { force: true });
    const specs = only ? this.specs.filter((s) => only.some((id) => s.moduleId.includes(`/${id}/`))) : this.specs;
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    try {
      await this.vitest.runTestSpecifications(specs, true);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    return existsSync(resultsFile) ? readResults(resultsFile) : undefined;
  }

  async close(): Promise<void> {
    await this.vitest.close();
    await endKeptTestProcesses();
  }
}

/** The suite's own modules a spec file imports (not type-only ones): what its test process can load ahead. */
export function localImports(file: string): string[] {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const found = [...source.matchAll(/^import\s+(?!type\s)[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => path.resolve(path.dirname(file), m[1] ?? ''));
  return [...new Set(found)];
}
