import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Runs lab specs in the week's order (01, 02, ... by folder), every time. vitest's own order follows the last
 * run's durations and failures, which in a warm grading worker is the previous repository's: the order one
 * repository's labs ran in must not depend on another's.
 */
export class LabOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const labs = files.filter((f) => f.project.name === 'labs');
    if (labs.length === 0) return super.sort(files);
    const others = await super.sort(files.filter((f) => f.project.name !== 'labs'));
    return [...others, ...[...labs].sort((a, b) => (a.moduleId < b.moduleId ? -1 : a.moduleId > b.moduleId ? 1 : 0))];
  }
}
