// npm run grade -- <repository>                 grade one learner repository
// npm run grade -- --many <dir>                 grade every repository in <dir>: reports, gradebook, class summary
// npm run grade -- merge <dir> <dir>...         join the outputs of several --many runs (shards) into one gradebook
// Options: --out DIR, --step-timeout SECONDS, --labs ID,ID, --jobs N (workers at once, default: cores, as memory allows),
// --shard I/N (grade only the I-th of N slices of the class), --verbose (the labs' own output on the terminal),
// --watch (one repository: services stay warm, saving a script verifies its labs again; a: all labs, q: quit).
// Exit code: 0 all passed, 1 some failed, 2 could not grade.
import '../src/config/announce-node-support.ts';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { isEvidenceOnly } from '../src/labkit/define-lab.ts';
import { loadWeek, pickedLabsProblem, pickLabs, type WeekDefinition } from '../src/labkit/define-week.ts';
import { loadConfig, type LabConfig } from '../src/config/load-config.ts';
import { errorMessage } from '../src/errors.ts';
import { gradeClass, gradeRepositories, listRepositories } from '../src/grader/grade-class.ts';
import { workerCount } from '../src/grader/worker-count.ts';
import { mergeClassOutputs } from '../src/grader/merge-class.ts';
import { parseShard, type Shard } from '../src/grader/shard.ts';
import { isOneRepository, repositoriesInside } from '../src/submission/layout.ts';
import { someNames } from '../src/some-names.ts';
import { reportFolderProblem } from '../src/results/report-folder.ts';
import { renderConsoleReport, terminalColors } from '../src/renderers/index.ts';
import { trace } from '../src/trace.ts';

trace('grade', 'started');

const USAGE = `usage: npm run grade -- <repository> [--out DIR] [--step-timeout SECONDS] [--labs LAB,LAB,...] [--verbose] [--watch]
       npm run grade -- --many <dir-of-repositories> [--jobs N] [--shard I/N] [--out DIR] [--step-timeout SECONDS] [--labs LAB,LAB,...]
       npm run grade -- merge <output-dir> <output-dir>... [--out DIR]`;

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
      jobs: { type: 'string' },
      shard: { type: 'string' },
      verbose: { type: 'boolean' },
      watch: { type: 'boolean' },
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

if (args.positionals[0] === 'merge') {
  const dirs = args.positionals.slice(1).map((d) => path.resolve(d));
  if (dirs.length === 0) fail('merge needs the output folders of one or more `--many` runs.');
  const outDir = path.resolve(args.values.out ?? 'reports/class-merged');
  const outProblem = args.values.out === undefined ? undefined : reportFolderProblem(outDir, '--out');
  if (outProblem) fail(outProblem);
  try {
    const merged = await mergeClassOutputs(dirs, outDir);
    console.log(`${merged.rows.length} repositories from ${dirs.length} folder(s): gradebook ${merged.gradebook}, summary ${merged.summary}`);
    process.exit(merged.exitCode);
  } catch (error) {
    fail(errorMessage(error));
  }
}

let week: WeekDefinition;
try {
  week = await loadWeek();
} catch (error) {
  fail(errorMessage(error));
}

const target = args.values.many ?? args.positionals[0];
if (!target || (args.values.many && args.positionals.length > 0) || args.positionals.length > 1) fail('name one repository, or --many and a directory of repositories.');
const dir = path.resolve(target);
if (!existsSync(dir) || !statSync(dir).isDirectory()) fail(`${dir} is not a directory.`);

const picked = args.values.labs === undefined ? undefined : pickLabs(week.labs, args.values.labs);
if (picked) {
  const problem = pickedLabsProblem(week.labs, picked);
  if (problem) fail(problem);
  if (picked.ids.length === 0) fail(`--labs names no lab; the labs are ${week.labs.map((lab) => lab.id).join(', ')}.`);
}
const only = picked ? picked.ids : args.values.many ? week.labs.filter((lab) => !isEvidenceOnly(lab)).map((lab) => lab.id) : undefined;
// A class folder named without --many would be graded as one empty repository: every task failed, nothing said.
const inside = args.values.many ? [] : repositoriesInside(dir);
if (inside.length > 0) fail(`${dir} is a folder of repositories (${someNames(inside)}), not a repository: grade them all with --many ${target}, or name one of them.`);
if (args.values.many) {
  // --many grades every folder inside: an empty one has nothing to grade, and a repository's own folders are no class.
  const folders = listRepositories(dir);
  if (folders.length === 0) fail(`${dir} holds no folder: --many grades each folder inside it, one repository per learner.`);
  if (isOneRepository(dir)) fail(`${dir} is a repository, not a folder of repositories: leave out --many to grade it.`);
}

const stepTimeout = args.values['step-timeout'];
if (stepTimeout !== undefined && !/^\d+$/.test(stepTimeout)) fail(`--step-timeout takes whole seconds (got ${stepTimeout}).`);
const jobsText = args.values.jobs;
if (jobsText !== undefined && !/^[1-9]\d{0,2}$/.test(jobsText)) fail(`--jobs takes a number of workers from 1 to 999 (got ${jobsText}).`);
const workers = workerCount(jobsText ? Number(jobsText) : undefined);
const jobs = workers.jobs;
let shard: Shard | undefined;
if (args.values.shard !== undefined) {
  if (!args.values.many) fail('--shard slices a class: use it with --many.');
  try {
    shard = parseShard(args.values.shard);
  } catch (error) {
    fail(errorMessage(error));
  }
}

let config: LabConfig;
try {
  config = loadConfig({ ...process.env, ...(stepTimeout ? { LAB_STEP_TIMEOUT_MS: String(Number(stepTimeout) * 1000) } : {}) });
} catch (error) {
  fail(errorMessage(error));
}
const outDir = path.resolve(args.values.out ?? (args.values.many ? path.join(config.resultsDir, 'class') : config.resultsDir));
// Reports overwrite files of their names: a folder named with --out that holds someone else's files is refused.
const outProblem = args.values.out === undefined ? undefined : reportFolderProblem(outDir, '--out');
if (outProblem) fail(outProblem);
const common = {
  config,
  week,
  jobs,
  repositoryTimeoutMs: Math.max(15 * 60_000, config.stepTimeoutMs * 20),
  ...(only ? { only } : {}),
  log: (line: string) => console.error(`[grade] ${line}`),
};

if (args.values.watch) {
  if (args.values.many) fail('--watch follows one repository; leave out --many.');
  // The labs run here, on this machine's port 8000 as the course's scripts expect, with the same sandbox for the
  // learner's steps; the services and vitest stay warm between saves.
  process.env.LAB_SUBMISSION = dir;
  const { watchLabs } = await import('../src/watch/watch-labs.ts');
  await watchLabs({ labs: week.labs, ...(only ? { only } : {}), submission: dir, resultsDir: outDir, color: terminalColors() });
}

// Ctrl-C and kill: the workers and everything they started end with this process (the reaper and bubblewrap's
// --die-with-parent see to it); leave with the usual code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

let exitCode = 2;
try {
  if (args.values.many) {
    if (workers.note) common.log(workers.note);
    const outcome = await gradeClass(dir, { ...common, outDir, ...(shard ? { shard } : {}), progress: (line) => console.log(line) });
    console.log(`gradebook: ${outcome.gradebook}\nclass summary: ${outcome.summary}`);
    exitCode = outcome.exitCode;
  } else {
    // The learner reads a task list; the labs' own output (vitest's) goes to labs.log unless --verbose.
    const verbose = Boolean(args.values.verbose);
    if (!verbose) console.error(`[grade] grading ${dir}: starting DynamoDB Local and Postgres, then the labs (their output: ${path.join(outDir, 'labs.log')})`);
    const outcome = await gradeRepositories([dir], { ...common, hidden: [dir], labOutput: verbose ? 'inherit' : 'file', githubOutputs: true, outDirFor: () => outDir, progress: () => {} });
    const results = outcome.graded[0]?.results;
    if (results) {
      const where = path.relative(process.cwd(), outDir) || '.';
      console.log(`\n${renderConsoleReport(results, { color: terminalColors() })}`);
      console.log(`Reports in ${where}: results.json, junit.xml, summary.md, classroom-result.txt, gradescope-results.json, ${week.journal.name}.md, ${week.journal.name}.html${verbose ? '' : ', labs.log'}`);
      if (results.message) (results.status === 'error' ? console.error : console.log)(`grade: ${results.message}`);
    }
    exitCode = outcome.exitCode;
  }
} catch (error) {
  console.error(`grade: ${errorMessage(error)}`);
}
process.exit(exitCode);
