// npm run labs                       verify the labs on the reference solution (or on LAB_SUBMISSION) and print a
//                                    task list: what passed, what failed and what to fix
// Options: --labs ID,ID (only those labs), --verbose (vitest's own output on the terminal instead of reports/labs.log),
// --watch (services stay warm; saving a script verifies its labs again; a: all labs, q: quit).
// Exit code: 0 all passed, 1 some task failed, 2 could not verify.
import '../src/config/announce-node-support.ts';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadWeek, pickedLabsProblem, pickLabs, type WeekDefinition } from '../src/labkit/define-week.ts';
import { loadConfig, type LabConfig } from '../src/config/load-config.ts';
import { SUITE_ROOT } from '../src/config/suite-root.ts';
import { errorMessage } from '../src/errors.ts';
import { exitCodeFor } from '../src/grader/exit-code.ts';
import { readResults, renderConsoleReport, terminalColors } from '../src/renderers/index.ts';
import { RESULTS_FILE } from '../src/results/write-results.ts';
import { submissionPathProblem } from '../src/submission/layout.ts';
import { plainOutputEnv } from '../src/plain-output.ts';

const USAGE = 'usage: npm run labs -- [--labs LAB,LAB,...] [--verbose] [--watch]';

function fail(message: string): never {
  console.error(`labs: ${message}\n${USAGE}`);
  process.exit(2);
}

let values: { labs?: string; verbose?: boolean; watch?: boolean; help?: boolean } = {};
try {
  ({ values } = parseArgs({ options: { labs: { type: 'string' }, verbose: { type: 'boolean' }, watch: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  fail(errorMessage(error));
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
let week: WeekDefinition;
try {
  week = await loadWeek();
} catch (error) {
  fail(errorMessage(error));
}
const picked = pickLabs(week.labs, values.labs ?? '');
const labsProblem = pickedLabsProblem(week.labs, picked);
if (labsProblem) fail(labsProblem);
const only = picked.ids;

let config: LabConfig;
try {
  config = loadConfig();
} catch (error) {
  fail(errorMessage(error));
}
// A submission that is not there, or a class folder, is said before any service starts, not as every task's error.
const submissionProblem = submissionPathProblem(config.submission);
if (submissionProblem) fail(submissionProblem);
const color = terminalColors();

/** One run of the labs in a vitest child process, then the task list from its results file. */
async function runOnce(verbose: boolean): Promise<number> {
  mkdirSync(config.resultsDir, { recursive: true });
  const logFile = path.join(config.resultsDir, 'labs.log');
  const who = config.submission === 'reference' ? 'the reference solution' : config.submission;
  if (!verbose) console.error(`[labs] verifying ${who}: starting DynamoDB Local and Postgres, then the labs (their output: ${path.relative(process.cwd(), logFile)})`);
  const vitest = path.join(SUITE_ROOT, 'node_modules/vitest/vitest.mjs');
  // Each lab's folder is where its README is.
  const folders = week.labs.filter((lab) => only.includes(lab.id)).map((lab) => `${path.dirname(lab.readme)}/`);
  const child = spawn(process.execPath, [vitest, 'run', '--project', 'labs', ...folders], {
    cwd: SUITE_ROOT,
    env: verbose ? process.env : plainOutputEnv(process.env),
    stdio: verbose ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  if (!verbose) {
    const log = createWriteStream(logFile);
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => child.kill(signal));
  const code: number = await new Promise((resolve) => child.once('exit', (status) => resolve(status ?? 2)));
  const resultsFile = path.join(config.resultsDir, RESULTS_FILE);
  if (!existsSync(resultsFile)) {
    console.error(`labs: the labs ended (exit ${code}) without ${resultsFile}; see ${logFile}.`);
    return 2;
  }
  const results = await readResults(resultsFile);
  console.log(`\n${renderConsoleReport(results, { color })}`);
  console.log(`Reports in ${path.relative(process.cwd(), config.resultsDir) || '.'}; the journal: npm run journal`);
  return exitCodeFor(results.status);
}

if (values.watch) {
  const { watchLabs } = await import('../src/watch/watch-labs.ts');
  await watchLabs({ labs: week.labs, ...(only.length > 0 ? { only } : {}), submission: config.submission, resultsDir: config.resultsDir, color });
} else {
  process.exit(await runOnce(Boolean(values.verbose)));
}
