// npm run grade -- <repository>          grade one learner repository
// npm run grade -- --many <dir>          grade every repository in <dir> and write a gradebook
// Options: --out DIR (default reports/ or reports/class/), --step-timeout SECONDS, --labs ID,ID (default: all
// labs; with --many all but 06-admin-ui, which does not depend on the submission and takes a browser per repository).
// Exit code: 0 all passed, 1 some failed, 2 could not grade.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WEEK05_LABS } from '../labs/week-05/index.ts';
import { loadConfig } from '../src/config/load-config.ts';
import { errorMessage } from '../src/errors.ts';
import { gradeClass } from '../src/grader/grade-class.ts';
import { gradeRepository } from '../src/grader/grade-repository.ts';
import { errorResults } from '../src/grader/error-results.ts';
import { exitCodeFor, writeReports } from '../src/grader/write-reports.ts';
import { startServices, type RunningServices } from '../src/services/start-services.ts';

const USAGE = `usage: npm run grade -- <repository> [--out DIR] [--step-timeout SECONDS] [--labs ID,ID,...]
       npm run grade -- --many <dir-of-repositories> [--out DIR] [--step-timeout SECONDS] [--labs ID,ID,...]`;

function fail(message: string): never {
  console.error(`grade: ${message}\n${USAGE}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    allowPositionals: true,
    options: {
      many: { type: 'string' },
      out: { type: 'string' },
      'step-timeout': { type: 'string' },
      labs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (error) {
  fail(errorMessage(error));
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
const target = args.values.many ?? args.positionals[0];
if (!target || (args.values.many && args.positionals.length > 0) || args.positionals.length > 1) fail('name one repository, or --many and a directory of repositories.');
const dir = path.resolve(target);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${dir} is not a directory.`);

const known = WEEK05_LABS.map((lab) => lab.id);
const only = args.values.labs
  ? args.values.labs.split(',').map((id) => id.trim()).filter(Boolean)
  : args.values.many
    ? known.filter((id) => id !== '06-admin-ui')
    : undefined;
const unknownLabs = (only ?? []).filter((id) => !known.includes(id));
if (unknownLabs.length > 0) fail(`unknown lab(s) ${unknownLabs.join(', ')}; the labs are ${known.join(', ')}.`);

const stepTimeout = args.values['step-timeout'];
if (stepTimeout !== undefined && !/^\d+$/.test(stepTimeout)) fail(`--step-timeout takes whole seconds (got ${stepTimeout}).`);
let config;
try {
  config = loadConfig({ ...process.env, LAB_SUBMISSION: dir, ...(stepTimeout ? { LAB_STEP_TIMEOUT_MS: String(Number(stepTimeout) * 1000) } : {}) });
} catch (error) {
  fail(errorMessage(error));
}
const outDir = path.resolve(args.values.out ?? (args.values.many ? path.join(config.resultsDir, 'class') : config.resultsDir));

let running: RunningServices | undefined;
const stop = async () => {
  await running?.stop();
  running = undefined;
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stop().then(() => process.exit(130));
  });
}

try {
  running = await startServices(config, (line) => console.error(`[services] ${line}`));
} catch (error) {
  const message = `could not start the services: ${errorMessage(error)}`;
  console.error(`grade: ${message}`);
  if (!args.values.many) await writeReports(errorResults(WEEK05_LABS.filter((lab) => !only || only.includes(lab.id)), message, { kind: 'repository', path: dir }), outDir);
  process.exit(2);
}
const facts = running.facts;
console.error(`[services] ${facts.backend}: DynamoDB Local ${facts.dynamodb.version} at ${facts.dynamodb.endpoint}, Postgres ${facts.postgres.version} (${facts.startedInMs} ms)`);
const common = { config, services: facts, labs: WEEK05_LABS, repositoryTimeoutMs: Math.max(15 * 60_000, config.stepTimeoutMs * 20), ...(only ? { only } : {}) };

let exitCode = 2;
try {
  if (args.values.many) {
    const outcome = await gradeClass(dir, { ...common, outDir }, (line) => console.log(line));
    console.log(`gradebook: ${outcome.gradebook}`);
    exitCode = outcome.exitCode;
  } else {
    const results = await gradeRepository(dir, { ...common, outDir, log: 'inherit' });
    const files = await writeReports(results, outDir);
    console.log(`\n${results.status.toUpperCase()} ${results.score}/${results.max_score} — reports in ${path.relative(process.cwd(), outDir) || '.'}: ${Object.values(files).map((f) => path.basename(f)).join(', ')}`);
    if (results.message) console.log(results.message);
    exitCode = exitCodeFor(results.status);
  }
} catch (error) {
  console.error(`grade: ${errorMessage(error)}`);
} finally {
  await stop();
}
process.exit(exitCode);
