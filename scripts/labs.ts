// npm run labs                       verify the labs on the reference solution (or on LAB_SUBMISSION) and print a
//                                    task list: what passed, what failed and what to fix
// Options: --labs ID,ID (only those labs), --verbose (vitest's own output on the terminal instead of reports/labs.log).
// Exit code: 0 all passed, 1 some task failed, 2 could not verify.
import '../src/config/quiet-sdk.ts';
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WEEK05_LABS } from '../labs/week-05/index.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { SUITE_ROOT } from '../src/config/suite-root.ts';
import { errorMessage } from '../src/errors.ts';
import { exitCodeFor } from '../src/grader/write-reports.ts';
import { readResults, renderConsoleReport } from '../src/renderers/index.ts';
import { RESULTS_FILE } from '../src/results/write-results.ts';

const USAGE = 'usage: npm run labs -- [--labs ID,ID,...] [--verbose]';
let args;
try {
  args = parseArgs({ options: { labs: { type: 'string' }, verbose: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  console.error(`labs: ${errorMessage(error)}\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const known = WEEK05_LABS.map((lab) => lab.id);
const only = args.values.labs?.split(',').map((id) => id.trim()).filter(Boolean) ?? [];
const unknown = only.filter((id) => !known.includes(id));
if (unknown.length > 0) {
  console.error(`labs: unknown lab(s) ${unknown.join(', ')}; the labs are ${known.join(', ')}.\n${USAGE}`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  console.error(`labs: ${errorMessage(error)}`);
  process.exit(2);
}
const verbose = Boolean(args.values.verbose);
mkdirSync(config.resultsDir, { recursive: true });
const logFile = path.join(config.resultsDir, 'labs.log');
const who = config.submission === 'reference' ? 'the reference solution' : config.submission;
if (!verbose) console.error(`[labs] verifying ${who}: starting DynamoDB Local and Postgres, then the labs (their output: ${path.relative(process.cwd(), logFile)})`);

const vitest = path.join(SUITE_ROOT, 'node_modules/vitest/vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', '--project', 'labs', ...only.map((id) => `labs/week-05/${id}/`)], {
  cwd: SUITE_ROOT,
  env: { ...process.env, ...(verbose ? {} : { FORCE_COLOR: '0' }) },
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
  process.exit(2);
}
const results = await readResults(resultsFile);
console.log(`\n${renderConsoleReport(results, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR })}`);
console.log(`Reports in ${path.relative(process.cwd(), config.resultsDir) || '.'}; the journal: npm run journal`);
process.exit(exitCodeFor(results.status));
