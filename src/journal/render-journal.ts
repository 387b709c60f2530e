import { isRecord, type LabSummary, type RunResults, type Status, type TaskResult } from '../results/model.ts';
import { formatPoints, runDurationMs } from '../renderers/numbers.ts';
import { runProblem } from '../renderers/run-problem.ts';
import { readScreenshot, str, type ScreenshotEvidence } from './evidence.ts';
import { evidenceBlocks } from './evidence-blocks.ts';
import { cell, codeBlock, codeCell, codeSpan, inlineLines, inlineText, table, visibleText } from './markdown-text.ts';
import { Slugger } from './slug.ts';
import { trimForJournal } from './trim-output.ts';
import { labOfTask, screenshotName, type WeekJournal } from './week-journal.ts';


/** The screenshot to show (a file relative to the markdown), or why there is none. */
export type JournalScreenshot =
  | { file: string; width: number; height: number; bytes: number; browser?: string; url?: string }
  | { missingReason: string };

export interface JournalOptions {
  /** The week's journal: its title, where its images go, which task records its screenshot. */
  journal: WeekJournal;
  /** Overrides the screenshot found in the results (the writer passes what it found on disk). */
  screenshot?: JournalScreenshot;
}

const NOT_VERIFIED = 'could not verify (does not count against you)';
const LAB_STATUS: Record<Status, string> = { pass: 'passed', fail: 'failed', error: 'could not verify' };
const TASK_STATUS: Record<Status, string> = { pass: 'passed', fail: 'failed', error: NOT_VERIFIED };
const OVERALL: Record<Status, string> = {
  pass: 'every task passed',
  fail: 'some tasks failed',
  error: 'some work could not be verified, which does not count against you',
};

/**
 * The week's journal as markdown: title and date, a summary table of the labs, then per lab what was verified
 * (status and message of each task, the hint when it failed) and the evidence the tasks recorded (commands
 * with their trimmed output, the facts the week's manifest says how to show, the week's screenshot),
 * and finally the environment. Pure: reads the results (and the options) only. Every piece of text from the
 * results is escaped, so learner output renders as text and cannot break tables or code blocks.
 */
export function renderJournal(results: RunResults, options: JournalOptions): string {
  const slugger = new Slugger();
  const heading = (level: number, plain: string): { md: string; anchor: string } => ({
    md: `${'#'.repeat(level)} ${inlineText(plain)}`,
    anchor: slugger.slug(visibleText(plain)),
  });

  const { journal } = options;
  const title = heading(1, journal.title);
  const summaryHeading = heading(2, 'Summary');
  const labs = labsOf(results);
  const found = options.screenshot ?? screenshotFromResults(results, journal);
  const shown = journal.screenshot && found ? { lab: labOfTask(journal.screenshot.task), alt: journal.screenshot.alt, shot: found } : undefined;
  const labSections = labs.map((lab) => labSection(lab, results.tests.filter((t) => t.lab === lab.id), heading, shown?.lab === lab.id ? shown : undefined, journal));
  const environment = heading(2, 'Environment');

  const parts = [
    title.md,
    `Date: **${inlineText(dateOf(results))}**`,
    `Result: **${formatPoints(results.score)} / ${formatPoints(results.max_score)} points**: ${OVERALL[results.status]}. ${counts(results.tests)}.`,
  ];
  const problem = runProblem(results);
  if (problem !== undefined) parts.push(`**The run could not be verified**, which does not count against you:\\\n${inlineLines(problem)}`);
  parts.push(summaryHeading.md, summaryTable(labs, labSections.map((s) => s.anchor)));
  for (const section of labSections) parts.push(...section.parts);
  parts.push(environment.md, ...environmentBlocks(results, journal));
  return `${parts.join('\n\n')}\n`;
}

/** What the week's screenshot task recorded (its file, size, browser), if it ran and recorded one. */
export function recordedScreenshot(results: RunResults, journal: WeekJournal): ScreenshotEvidence | undefined {
  return readScreenshot(results.tests.find((t) => t.task_id === journal.screenshot?.task)?.evidence?.screenshot);
}

/**
 * The screenshot the week's screenshot task recorded, as a file under the journal's assets; or why there is none.
 * Undefined when the week has no screenshot, or its lab is not part of the results.
 */
export function screenshotFromResults(results: RunResults, journal: WeekJournal): JournalScreenshot | undefined {
  const name = screenshotName(journal);
  if (!journal.screenshot || !name) return undefined;
  const taskId = journal.screenshot.task;
  const task = results.tests.find((t) => t.task_id === taskId);
  if (!task) {
    return results.tests.some((t) => t.lab === labOfTask(taskId)) ? { missingReason: `Task ${taskId} did not run.` } : undefined;
  }
  const shot = recordedScreenshot(results, journal);
  if (task.status !== 'pass' || !shot) {
    return { missingReason: task.message.trim() || `Task ${taskId} recorded no screenshot.` };
  }
  return {
    file: `${journal.assetsDir.replace(/\/+$/, '')}/${name}`,
    width: shot.width,
    height: shot.height,
    bytes: shot.bytes,
    ...(shot.browser ? { browser: shot.browser } : {}),
    ...(shot.url ? { url: shot.url } : {}),
  };
}

type Heading = (level: number, plain: string) => { md: string; anchor: string };

/** Labs in the order of the results, plus any lab that has tasks but no summary (so no task goes unshown). */
function labsOf(results: RunResults): LabSummary[] {
  const labs = [...results.labs];
  for (const t of results.tests) {
    if (!labs.some((l) => l.id === t.lab)) labs.push({ id: t.lab, title: t.lab, status: t.status, score: 0, max_score: 0 });
  }
  return labs;
}

function counts(tests: TaskResult[]): string {
  const n = (s: Status) => tests.filter((t) => t.status === s).length;
  return `${n('pass')} of ${tests.length} tasks passed, ${n('fail')} failed, ${n('error')} could not be verified`;
}

function dateOf(results: RunResults): string {
  const finished = new Date(results.finished_at);
  return Number.isNaN(finished.getTime()) ? results.finished_at : finished.toISOString().slice(0, 10);
}

function points(score: number, max: number): string {
  return `${formatPoints(score)} / ${formatPoints(max)} point${max === 1 ? '' : 's'}`;
}

function summaryTable(labs: LabSummary[], anchors: string[]): string {
  if (labs.length === 0) return '_No lab results were recorded._';
  const rows = labs.map((lab, i) => [
    `[${codeCell(lab.id)}](#${anchors[i] ?? ''})`,
    cell(lab.title),
    cell(LAB_STATUS[lab.status]),
    cell(`${formatPoints(lab.score)} / ${formatPoints(lab.max_score)}`),
  ]);
  return table(['Lab', 'Title', 'Status', 'Points'], rows, [3]);
}

function taskNumber(task: TaskResult): string {
  return /\/(\d+)$/.exec(task.task_id)?.[1] ?? task.task_id;
}

function verifiedItem(task: TaskResult): string {
  const head = `- **Task ${inlineText(taskNumber(task))}: ${inlineText(task.name)}**: ${TASK_STATUS[task.status]}${
    task.status === 'error' ? '' : ` (${points(task.score, task.max_score)})`
  }.`;
  const lines = [head];
  if (task.message.trim()) lines.push(`  ${inlineLines(task.message, '  ')}`);
  if (task.status === 'fail' && task.hint?.trim()) lines.push(`  Hint: ${inlineLines(task.hint, '  ')}`);
  // Hard breaks between the parts keep them in one list item, each on its own line.
  return lines.join('\\\n');
}

function labSection(
  lab: LabSummary,
  tasks: TaskResult[],
  heading: Heading,
  screenshot: { alt: string; shot: JournalScreenshot } | undefined,
  journal: WeekJournal,
): { anchor: string; parts: string[] } {
  const h = heading(2, `Lab ${lab.id}: ${lab.title}`);
  const parts = [
    h.md,
    `Status: **${LAB_STATUS[lab.status]}**${lab.status === 'error' ? ' (does not count against you)' : ''}, ${points(lab.score, lab.max_score)}.`,
    heading(3, 'What was verified').md,
    tasks.length > 0 ? tasks.map(verifiedItem).join('\n') : '_No task of this lab reported._',
    heading(3, 'Evidence').md,
  ];
  let any = false;
  for (const task of tasks) {
    const blocks = evidenceBlocks(task, journal);
    const hasSteps = Array.isArray(task.evidence?.steps);
    if (!hasSteps && task.output.trim()) blocks.unshift('**Output of the steps**:', codeBlock(trimForJournal(task.output), 'console'));
    if (blocks.length === 0) continue;
    any = true;
    parts.push(heading(4, `Task ${taskNumber(task)}: ${task.name}`).md, ...blocks);
  }
  if (!any) parts.push('_No evidence was recorded for this lab._');
  if (screenshot) parts.push(heading(3, 'Screenshot').md, screenshotBlock(screenshot.shot, screenshot.alt));
  return { anchor: h.anchor, parts };
}

function screenshotBlock(shot: JournalScreenshot, alt: string): string {
  if ('missingReason' in shot) {
    return `**No screenshot**: ${inlineLines(shot.missingReason)}`;
  }
  const target = shot.file
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  const facts = [`${shot.width}×${shot.height} PNG`, `${Math.round(shot.bytes / 1024)} KB`];
  if (shot.browser) facts.push(`taken with ${shot.browser}`);
  if (shot.url) facts.push(`of ${shot.url}`);
  return `![${inlineText(alt)}](${target})\n\n_${inlineText(facts.join(', '))}_`;
}

function environmentBlocks(results: RunResults, journal: WeekJournal): string[] {
  const services = results.services;
  const shot = recordedScreenshot(results, journal);
  const started = Date.parse(results.started_at);
  const when = Number.isNaN(started)
    ? `${results.started_at} to ${results.finished_at}`
    : `${new Date(started).toISOString().replace('T', ' ').slice(0, 19)} UTC, ${Math.round(runDurationMs(results) / 1000)} s`;
  const rows: string[][] = [
    [cell('Backend'), codeCell(results.backend)],
    [cell('DynamoDB Local'), services ? cell(`${services.dynamodb.version} at ${services.dynamodb.endpoint}`) : cell('not started')],
    [cell('Postgres'), services ? cell(`${services.postgres.version} on port ${services.postgres.port}`) : cell('not started')],
    [cell('Node'), cell(`${results.environment.node} on ${results.environment.platform}`)],
    [cell('Date'), cell(when)],
    [cell('Submission'), submissionCell(results.submission)],
  ];
  const sandbox = results.environment.sandbox;
  if (sandbox) rows.push([cell('Sandbox'), cell(sandbox.mode === 'namespaces' ? `namespaces (${sandbox.detail ?? ''})` : `none: ${sandbox.reason ?? 'not recorded'}`)]);
  for (const [key, name] of Object.entries(journal.tools ?? {})) {
    const tool = results.tests.find((t) => t.evidence?.[key])?.evidence?.[key];
    const version = isRecord(tool) ? str(tool.version) : undefined;
    if (version) rows.push([cell(name), cell(version)]);
  }
  if (shot?.browser) rows.push([cell('Browser for the screenshot'), cell(shot.browser)]);
  const blocks = [table(['What', 'Value'], rows)];
  const passedOver = services?.passedOver ?? [];
  if (passedOver.length > 0) {
    blocks.push(
      `Backends passed over before ${codeSpan(results.backend)}:`,
      passedOver.map((p) => `- ${codeSpan(p.backend)}: ${inlineLines(p.reason, '  ')}`).join('\n'),
    );
  } else if (services) {
    blocks.push(`No backend was passed over: ${codeSpan(results.backend)} was the first that applied.`);
  }
  if (!services && results.message) blocks.push(`Why no services ran: ${inlineLines(results.message)}`);
  return blocks;
}

function submissionCell(submission: RunResults['submission']): string {
  if (submission.kind === 'reference') return cell('the reference solution');
  const what = cell(submission.kind === 'repository' ? 'repository' : 'steps file');
  const at = submission.path ? ` ${codeCell(submission.path)}` : '';
  const commit = submission.commit ? ` at commit ${codeCell(submission.commit)}` : '';
  return `${what}${at}${commit}`;
}
