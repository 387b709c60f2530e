import './src/config/announce-node-support.ts';
import { defineConfig } from 'vitest/config';
import { loadWeek, weekSpecPatterns } from './src/labkit/define-week.ts';
import { LabOrderSequencer } from './src/labkit/lab-order.ts';
import { keptForks } from './src/runner/kept-forks.ts';
import { registerTypeScript, TYPESCRIPT_ARGS } from './src/runner/node-args.ts';
import { LabResultsReporter } from './src/results/vitest-reporter.ts';

// The labs run on Node's own module loader, with the suite's hooks for TypeScript (see the labs project): the
// suite's code is plain server code, and Vite's module runner took 3-4 s to load the AWS SDK in the labs' global
// setup alone. A process started with these hooks (a grading worker) has this module loaded already: importing it
// again does nothing.
await registerTypeScript();
// The week whose labs run: LAB_WEEK's manifest, else the course's current week (labs/index.ts).
const week = await loadWeek();

export default defineConfig({
  test: {
    reporters: ['default', new LabResultsReporter(week.labs)],
    sequence: { sequencer: LabOrderSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles: ['tests/setup/remove-temp-dirs.ts'],
          include: ['tests/unit/**/*.test.ts'],
          // Groups run one after another: fast feedback first, and the service-heavy projects never compete
          // for the 2 cores (their timings stay meaningful).
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          setupFiles: ['tests/setup/remove-temp-dirs.ts'],
          include: ['tests/integration/**/*.test.ts'],
          sequence: { groupOrder: 2 },
          // Each file starts its own services; two at a time is what 2 cores carry.
          maxWorkers: 2,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // The grader end to end: learner fixtures graded through the CLI, on port 8000 like the course.
          name: 'grader',
          setupFiles: ['tests/setup/remove-temp-dirs.ts'],
          include: ['tests/grader/**/*.test.ts'],
          sequence: { groupOrder: 3 },
          fileParallelism: false,
          testTimeout: 10 * 60_000,
          hookTimeout: 60 * 60_000,
        },
      },
      {
        test: {
          // The course's docker-compose.yml brought up and graded through the external backend (needs an engine).
          name: 'compose',
          setupFiles: ['tests/setup/remove-temp-dirs.ts'],
          include: ['tests/compose/**/*.test.ts'],
          sequence: { groupOrder: 4 },
          testTimeout: 20 * 60_000,
          hookTimeout: 5 * 60_000,
        },
      },
      {
        test: {
          name: 'labs',
          include: weekSpecPatterns(week),
          globalSetup: ['labs/global-setup.ts'],
          // Labs share one DynamoDB Local and reset it: one lab at a time, in one worker. The pool is vitest's forks
          // pool whose process a grading worker or watch mode keeps from one run to the next (src/runner/kept-forks.ts).
          fileParallelism: false,
          pool: keptForks,
          maxWorkers: 1,
          isolate: false,
          execArgv: [...TYPESCRIPT_ARGS],
          // No module mocking in the labs: Node's loader without vitest's mocking hooks.
          experimental: { viteModuleRunner: false, nodeLoader: false },
          sequence: { shuffle: false, groupOrder: 1 },
          hookTimeout: 120_000,
          testTimeout: 600_000,
        },
      },
    ],
  },
});
