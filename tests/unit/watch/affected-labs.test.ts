import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WEEK05_LABS } from '../../../labs/week-05/index.ts';
import { affectedLabs } from '../../../src/watch/affected-labs.ts';

const labsFor = (file: string): string[] => affectedLabs(file.split('/').join(path.sep), WEEK05_LABS);
const ALL = WEEK05_LABS.map((lab) => lab.id);
const WITH_STEPS = WEEK05_LABS.filter((lab) => lab.steps.length > 0).map((lab) => lab.id);

describe('the labs a saved file verifies again', () => {
  it.each([
    ['backend-flask/bin/ddb/schema-load', ['02-create-table', '07-access-patterns']],
    ['backend-flask/bin/ddb/seed', ['03-seed']],
    ['bin/ddb/scan', ['04-scan']],
    ['backend-flask/bin/ddb/list-tables', ['05-list-tables']],
    ['backend-flask/bin/ddb/patterns/get-conversation', ['07-access-patterns']],
    ['backend-flask/bin/ddb/patterns/list-conversations', ['07-access-patterns']],
    ['scripts/seed.py', ['03-seed']],
    ['seed.ts', ['03-seed']],
  ])('%s: the labs that run its step', (file, labs) => {
    expect(labsFor(file)).toEqual(labs);
  });

  it('verifies every lab again for a compose or steps file, and every lab with steps for code the scripts import', () => {
    expect(labsFor('docker-compose.yml')).toEqual(ALL);
    expect(labsFor('compose.yaml')).toEqual(ALL);
    expect(labsFor('cruddur-labs.json')).toEqual(ALL);
    expect(labsFor('backend-flask/lib/db.py')).toEqual(WITH_STEPS);
    expect(labsFor('backend-flask/db/seed.sql')).toEqual(WITH_STEPS);
  });

  it("ignores editors' temporary files, caches and what is not the learner's code", () => {
    for (const file of ['backend-flask/bin/ddb/.seed.swp', 'backend-flask/bin/ddb/seed~', '.git/index', 'node_modules/x/seed.js', 'backend-flask/lib/__pycache__/db.cpython-311.pyc', 'reports/results.json', 'frontend/logo.png']) {
      expect(labsFor(file), file).toEqual([]);
    }
  });
});
