/**
 * Renderers: pure functions from the results file (`RunResults`) to the formats other tools read.
 * They read the results file and nothing else.
 */
export { renderJUnit, RUN_SUITE_NAME } from './junit.ts';
export {
  classroomEnvName,
  classroomOutputLine,
  renderClassroom,
  toClassroomResult,
  type ClassroomOptions,
  type ClassroomResult,
  type ClassroomTest,
} from './github-classroom.ts';
export {
  renderGradescope,
  type GradescopeOptions,
  type GradescopeResults,
  type GradescopeTest,
  type GradescopeVisibility,
} from './gradescope.ts';
export { renderMarkdownSummary } from './markdown-summary.ts';
export { renderConsoleReport, terminalColors, type ConsoleReportOptions } from './console-report.ts';
export { renderGradebook, type GradebookRow } from './gradebook-csv.ts';
export { renderClassSummary, type ClassSummaryOptions } from './class-summary.ts';
export { parseResults, readResults, ResultsFileError } from './read-results.ts';
