// Runs lab 05 three times through one LabRunner, each with its own submission, and prints what each run found and
// which test processes served them, as JSON on the last line of stdout. Used by kept-test-process.test.ts.
import '../../../src/config/quiet-sdk.ts';
import { LabRunner } from '../../../src/runner/lab-runner.ts';
import { keptForkStats } from '../../../src/runner/kept-forks.ts';
import { removeTempDirs, tempDir } from '../../grader/fixtures.ts';

const submissions = process.argv.slice(2);
const runner = await LabRunner.create(process.stderr);
const runs = [];
for (const submission of submissions) {
  const out = tempDir('kept-runs-');
  const results = await runner.run({ LAB_SUBMISSION: submission, LAB_RESULTS_DIR: out, LAB_JOURNAL_DIR: out }, out, ['05-list-tables']);
  runs.push({ submission, status: results?.status, score: results?.score, startedAt: results?.started_at, finishedAt: results?.finished_at, stats: keptForkStats() });
}
await runner.close();
removeTempDirs();
console.log(JSON.stringify({ runs, afterClose: keptForkStats() }));
// vitest sets a failing exit code when a run fails; the failing run here is intended.
process.exitCode = 0;
