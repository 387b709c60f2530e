// npm run journal                                   run the labs, then write journal/week05.md and week05.html
// npm run journal -- --from reports/results.json    write the journal of an existing results file
// Options: --out DIR (default LAB_JOURNAL_DIR, journal/).
// Exit code: 0 journal written (whatever the labs' verdict: a failing lab is in the journal), 1 a link in the
// journal is broken, 2 no journal could be written.
import '../src/config/announce-node-support.ts';
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config/load-config.ts';
import { errorMessage } from '../src/errors.ts';
import { writeJournal } from '../src/journal/index.ts';
import { loadWeek } from '../src/labkit/define-week.ts';
import { formatPoints } from '../src/renderers/numbers.ts';
import { readResults } from '../src/renderers/read-results.ts';
import { markReportFolder, reportFolderProblem } from '../src/results/report-folder.ts';
import { RESULTS_FILE } from '../src/results/write-results.ts';
import { submissionPathProblem } from '../src/submission/layout.ts';

const USAGE = 'usage: npm run journal [-- --from RESULTS_JSON] [--out DIR]';

function fail(message: string): never {
  console.error(`journal: ${message}`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
} catch (error) {
  fail(`${errorMessage(error)}\n${USAGE}`);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
let config;
try {
  config = loadConfig();
} catch (error) {
  fail(errorMessage(error));
}
const outDir = path.resolve(args.values.out ?? config.journalDir);
// The journal overwrites files of its names: a folder named with --out that holds someone else's files is refused.
const outProblem = args.values.out === undefined || outDir === path.resolve(config.journalDir) ? undefined : reportFolderProblem(outDir, '--out');
if (outProblem) fail(outProblem);

/** Runs the labs like `npx vitest run --project labs`, output to this terminal; resolves with its exit code. */
function runLabs(): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['vitest', 'run', '--project', 'labs'], { stdio: 'inherit', env: process.env });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

let resultsFile: string;
if (args.values.from) {
  resultsFile = path.resolve(args.values.from);
} else {
  resultsFile = path.join(config.resultsDir, RESULTS_FILE);
  const submissionProblem = submissionPathProblem(config.submission);
  if (submissionProblem) fail(submissionProblem);
  const started = Date.now();
  console.log('journal: running the labs (npx vitest run --project labs) ...');
  let code: number | null;
  try {
    code = await runLabs();
  } catch (error) {
    fail(`could not run the labs: ${errorMessage(error)}`);
  }
  let written = 0;
  try {
    written = statSync(resultsFile).mtimeMs;
  } catch {
    // no file at all: reported below
  }
  // A results file older than this run is a previous run's: never write a journal from it by mistake.
  if (written < started) fail(`the labs exited with code ${code ?? 'none'} without writing ${resultsFile}; see their output above.`);
  if (code !== 0) console.log(`journal: the labs exited with code ${code ?? 'none'}; the journal shows what failed.`);
}

let results;
try {
  results = await readResults(resultsFile);
} catch (error) {
  fail(errorMessage(error));
}
let written;
try {
  written = await writeJournal(results, outDir, { journal: (await loadWeek()).journal });
  markReportFolder(outDir);
} catch (error) {
  fail(`could not write the journal into ${outDir}: ${errorMessage(error)}`);
}
const relative = (file: string) => path.relative(process.cwd(), file) || file;
console.log(`journal: ${formatPoints(results.score)} / ${formatPoints(results.max_score)} points, status ${results.status} (from ${relative(resultsFile)})`);
console.log(`journal: wrote ${relative(written.markdownFile)} and ${relative(written.htmlFile)}`);
if (written.screenshotFile) console.log(`journal: screenshot ${relative(written.screenshotFile)}`);
if (written.brokenLinks.length > 0) {
  console.error(`journal: ${written.brokenLinks.length} broken link(s) in ${relative(written.markdownFile)}:`);
  for (const link of written.brokenLinks) console.error(`  line ${link.line ?? '?'}: ${link.kind} ${link.target}: ${link.reason}`);
  process.exit(1);
}
