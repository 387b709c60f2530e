import type { LabSummary, RunResults, TaskResult } from '../results/model.ts';
import { msToSeconds, runDurationMs } from './numbers.ts';
import { toPlainText } from './plain-text.ts';
import { runProblem } from './run-problem.ts';
import { NOT_VERIFIED_NOTE, taskLabel } from './task-label.ts';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.ts';

/** Name of the extra suite that carries a problem of the whole run (see `runProblem`). */
export const RUN_SUITE_NAME = 'run';

interface Suite {
  name: string;
  tests: TaskResult[];
}

/**
 * Renders the run as JUnit XML: `<testsuites>` with one `<testsuite>` per lab and one `<testcase>` per task
 * (`classname` = lab id, `name` = `task_id name`). `fail` becomes `<failure>`, `error` becomes `<error>`,
 * the task's output goes to `<system-out>`, and times are seconds from `duration_ms`.
 * A run that broke outside any task gets an extra `run` suite with one errored case, so CI never shows it green.
 */
export function renderJUnit(results: RunResults): string {
  const suites = groupByLab(results.labs, results.tests);
  const problem = runProblem(results);
  const problemCase = problem === undefined ? [] : [renderRunProblem(problem)];

  const count = (status: TaskResult['status']): number => results.tests.filter((t) => t.status === status).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({
      tests: results.tests.length + problemCase.length,
      failures: count('fail'),
      errors: count('error') + problemCase.length,
      time: msToSeconds(runDurationMs(results)).toFixed(3),
      timestamp: results.started_at,
    })}>`,
    ...suites.map((suite) => renderSuite(suite, results.started_at)),
    ...problemCase,
    '</testsuites>',
    '',
  ];
  return lines.join('\n');
}

/** Tasks grouped under their labs, in the labs' order; a task whose lab is missing from `labs` still gets a suite. */
function groupByLab(labs: LabSummary[], tests: TaskResult[]): Suite[] {
  const suites = new Map<string, Suite>(labs.map((lab) => [lab.id, { name: lab.id, tests: [] }]));
  for (const task of tests) {
    const suite = suites.get(task.lab) ?? { name: task.lab, tests: [] };
    suite.tests.push(task);
    suites.set(task.lab, suite);
  }
  return [...suites.values()];
}

function renderSuite(suite: Suite, timestamp: string): string {
  const time = suite.tests.reduce((sum, t) => sum + (t.duration_ms ?? 0), 0);
  const open = `  <testsuite${attributes({
    name: suite.name,
    tests: suite.tests.length,
    failures: suite.tests.filter((t) => t.status === 'fail').length,
    errors: suite.tests.filter((t) => t.status === 'error').length,
    skipped: 0,
    time: msToSeconds(time).toFixed(3),
    timestamp,
  })}>`;
  return [open, ...suite.tests.map(renderCase), '  </testsuite>'].join('\n');
}

function renderCase(task: TaskResult): string {
  const attrs = attributes({
    classname: task.lab,
    name: taskLabel(task),
    time: task.duration_ms === undefined ? undefined : msToSeconds(task.duration_ms).toFixed(3),
  });
  const body: string[] = [];
  if (task.status === 'fail') {
    const details = [task.message, task.hint ? `Hint: ${task.hint}` : ''].filter(Boolean).join('\n');
    body.push(element('failure', { message: task.message, type: 'fail' }, details));
  } else if (task.status === 'error') {
    // No hint here: hints are about the learner's work, which is not what went wrong.
    body.push(element('error', { message: task.message, type: 'not-verified' }, `${task.message}\n${NOT_VERIFIED_NOTE}`));
  }
  if (task.output) body.push(element('system-out', {}, task.output));
  if (body.length === 0) return `    <testcase${attrs}/>`;
  return [`    <testcase${attrs}>`, ...body.map((line) => `      ${line}`), '    </testcase>'].join('\n');
}

function renderRunProblem(problem: string): string {
  return [
    `  <testsuite${attributes({ name: RUN_SUITE_NAME, tests: 1, failures: 0, errors: 1, skipped: 0, time: '0.000' })}>`,
    `    <testcase${attributes({ classname: RUN_SUITE_NAME, name: 'run' })}>`,
    `      ${element('error', { message: problem, type: 'not-verified' }, `${problem}\n${NOT_VERIFIED_NOTE}`)}`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
}

function element(name: string, attrs: Record<string, string>, text: string): string {
  return `<${name}${attributes(attrs)}>${escapeXmlText(toPlainText(text))}</${name}>`;
}

function attributes(attrs: Record<string, string | number | undefined>): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(toPlainText(String(value)))}"`)
    .join('');
}
