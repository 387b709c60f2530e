import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.ts';
import { isFileInside } from './inside-file.ts';
import { LAYOUTS, STEPS_FILE } from './layout.ts';
import { connectionConvention, findDatabaseFiles, type ConnectionConvention } from './database-conventions.ts';
import { makePrivateCopy, type PrivateCopy } from '../sandbox/private-copy.ts';
import { isPythonScript } from '../sandbox/python-preloader.ts';
import { runLearnerProcess, type SandboxSettings } from '../sandbox/run-learner.ts';
import { learnerOwner } from '../sandbox/sandbox-box.ts';
import { prestartResident } from '../sandbox/warm-python.ts';
import { learnerEnv } from './step-env.ts';
import { STEPS, type StepName, type StepRun, type StepServices, type Submission } from './types.ts';

export { STEPS_FILE } from './layout.ts';

const PATTERN_STEPS: ReadonlySet<StepName> = new Set(['get-conversation', 'list-conversations']);

export interface StepsFile {
  /** Working directory of every step, relative to the file. */
  cwd?: string;
  /** A command run once before the labs (e.g. installing requirements). */
  setup?: string;
  steps: Partial<Record<StepName, string>>;
}

interface ResolvedStep {
  /** What a person would type, relative to cwd. */
  display: string;
  file: string;
  args: string[];
  /** The script it runs by its path, as typed (course layout). */
  script?: string;
}

export interface RunnerOptions {
  stepTimeoutMs: number;
  outputLimitBytes: number;
  cacheDir: string;
  sandbox: SandboxSettings;
}

function scriptPath(layoutDir: string, step: StepName): string {
  return PATTERN_STEPS.has(step) ? `${layoutDir}/patterns/${step}` : `${layoutDir}/${step}`;
}

/** Parses a steps file, throwing a ConfigError that names the file and the problem. */
export function parseStepsFile(text: string, file: string): StepsFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON (${(error as Error).message}). Fix the file; see the README section "Grading a repository".`, { cause: error });
  }
  const obj = data as Partial<StepsFile> | null;
  if (!obj || typeof obj !== 'object' || !obj.steps || typeof obj.steps !== 'object') {
    throw new ConfigError(`${file} must be an object with a "steps" map, e.g. {"steps": {"seed": "python3 bin/ddb/seed"}}.`);
  }
  for (const [step, command] of Object.entries(obj.steps)) {
    if (!(STEPS as readonly string[]).includes(step)) {
      throw new ConfigError(`${file} names an unknown step "${step}". Known steps: ${STEPS.join(', ')}.`);
    }
    if (typeof command !== 'string' || command.trim() === '') {
      throw new ConfigError(`${file}: the command for "${step}" must be a non-empty string.`);
    }
  }
  return { steps: obj.steps, ...(obj.cwd ? { cwd: obj.cwd } : {}), ...(obj.setup ? { setup: obj.setup } : {}) };
}

/**
 * A learner repository: the course layout is recognised without configuration; any other layout
 * gives a steps file. Each step runs as an untrusted child process.
 */
export function repositorySubmission(target: string, options: RunnerOptions): Submission & { root: string; setupCommand?: string; cwd: string } {
  if (!existsSync(target)) {
    throw new ConfigError(`LAB_SUBMISSION=${target} does not exist. Point it at a learner repository or a ${STEPS_FILE} file.`);
  }
  const isFile = statSync(target).isFile();
  const root = isFile ? path.dirname(target) : target;
  const stepsFilePath = isFile ? target : path.join(root, STEPS_FILE);
  const stepsFile = isFileInside(root, stepsFilePath) ? parseStepsFile(readFileSync(stepsFilePath, 'utf8'), stepsFilePath) : undefined;
  const layout = LAYOUTS.find((l) => existsSync(path.join(root, l.cwd, l.dir))) ?? LAYOUTS[0];
  // A steps file without "cwd" runs its commands in the course's folder when the repository has one, else beside it.
  const defaultCwd = stepsFile && !existsSync(path.join(root, layout.cwd)) ? '.' : layout.cwd;
  const cwd = path.resolve(root, stepsFile?.cwd ?? defaultCwd);
  if (path.relative(root, cwd).startsWith('..')) {
    throw new ConfigError(`${stepsFilePath}: "cwd" (${stepsFile?.cwd}) must stay inside the repository. Give a path relative to the file, such as "backend-flask".`);
  }
  if (stepsFile?.cwd !== undefined && !(existsSync(cwd) && statSync(cwd).isDirectory())) {
    throw new ConfigError(`${stepsFilePath}: "cwd" (${stepsFile.cwd}) is not a folder of the repository. Give the folder the commands run in, relative to the file, such as "." or "backend-flask".`);
  }

  const resolve = (step: StepName): ResolvedStep | undefined => {
    const command = stepsFile?.steps[step];
    if (command) return { display: command, file: 'bash', args: ['-c', command] };
    if (stepsFile && isFile) return undefined;
    const rel = scriptPath(layout.dir, step);
    if (!existsSync(path.join(cwd, rel))) return undefined;
    // Through bash, as the learner ran it: the shebang decides, and a file without one runs as a shell script.
    return { display: `./${rel}`, file: 'bash', args: ['-c', '"$0" "$@"', `./${rel}`], script: `./${rel}` };
  };

  const database = findDatabaseFiles(root);
  // How the repository names its Postgres URL: read once, when its first step runs (lab 01 runs none).
  let connection: ConnectionConvention | undefined;
  const expected = (step: StepName): string => path.relative(root, path.join(cwd, scriptPath(layout.dir, step))) || scriptPath(layout.dir, step);

  const submission: Submission & { root: string; setupCommand?: string; cwd: string } = {
    kind: isFile ? 'steps-file' : 'repository',
    root,
    cwd,
    ...(stepsFile?.setup ? { setupCommand: stepsFile.setup } : {}),
    ...(database ? { database } : {}),
    describe: () => (isFile ? `steps file ${target}` : `repository ${root}`),
    has: (step) => resolve(step) !== undefined,
    missingReason: (step) =>
      stepsFile?.steps && isFile
        ? `${stepsFilePath} has no command for \`${step}\``
        : `no \`${step}\` script: expected ${expected(step)} (course layout), or a "${step}" command in ${STEPS_FILE}`,
    async perform(step: StepName, services: StepServices, args: string[] = [], env: Record<string, string> = {}): Promise<StepRun> {
      const resolved = resolve(step);
      if (!resolved) throw new ConfigError(`no \`${step}\` step to run`);
      const prepared = await prepare(services);
      if (prepared.setupFailed) return { ...prepared.setupFailed, step };
      return run(step, resolved, prepared.copy, services, { args, env });
    },
    warmUp(services: StepServices): void {
      const python = STEPS.some((step) => {
        const script = resolve(step)?.script;
        return script !== undefined && isPythonScript(path.resolve(cwd, script));
      });
      if (!python) return;
      const env = learnerEnv(services, { cacheDir: options.cacheDir, connection: (connection ??= connectionConvention(root)) });
      prestartResident({ env, timeoutMs: options.stepTimeoutMs, outputLimitBytes: options.outputLimitBytes, source: root }, options.sandbox);
    },
    dispose(): void {
      copy?.dispose();
      copy = undefined;
      preparing = undefined;
    },
  };

  // Learner code runs in a private copy of the repository, made (and set up) once for this submission.
  let copy: PrivateCopy | undefined;
  let preparing: Promise<{ copy: PrivateCopy; setupFailed?: StepRun }> | undefined;
  function prepare(services: StepServices): Promise<{ copy: PrivateCopy; setupFailed?: StepRun }> {
    preparing ??= (async () => {
      const owner = learnerOwner(options.sandbox);
      copy = makePrivateCopy(root, owner);
      if (!stepsFile?.setup) return { copy };
      const setupCommand = { display: stepsFile.setup, file: 'bash', args: ['-c', stepsFile.setup] };
      const setup = await run('setup', setupCommand, copy, services, { timeoutMs: options.stepTimeoutMs * 5 });
      const failed = setup.exitCode !== 0 || setup.timedOut || setup.outputLimited;
      return failed ? { copy, setupFailed: { ...setup, command: `${stepsFile.setup} (the setup command of ${STEPS_FILE})` } } : { copy };
    })();
    return preparing;
  }

  /** Runs `command` in the private copy: `args` go after its own (and into the command line shown), `env` on top. */
  async function run(
    step: StepName | 'setup',
    command: ResolvedStep,
    into: PrivateCopy,
    services: StepServices,
    extra: { args?: string[]; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<StepRun> {
    const { args = [], env = {}, timeoutMs = options.stepTimeoutMs } = extra;
    const outcome = await runLearnerProcess(
      {
        file: command.file,
        args: [...command.args, ...args],
        repository: into.dir,
        source: root,
        cwd: path.join(into.dir, path.relative(root, cwd)),
        // The suite's own variables for a step (never the learner's choice) come on top of the learner's environment.
        env: { ...learnerEnv(services, { cacheDir: options.cacheDir, connection: (connection ??= connectionConvention(root)) }), ...env },
        timeoutMs,
        outputLimitBytes: options.outputLimitBytes,
        ...(command.script ? { script: { path: command.script, args } } : {}),
      },
      options.sandbox,
    );
    return { ...outcome, step, command: [command.display, ...args].join(' ') };
  }
  return submission;
}

