import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The reference solution (the course's scripts in TypeScript): reached only through the reference submission. */
const REFERENCE = /^src\/(ddb|pg)\//;
/** The course's facts (table, index, users, conversation, paginator, batch writer): below every layer but the services. */
const COURSE = /^src\/course\//;
/** Layers above the services: the services are reached from them, never the other way. */
const ABOVE_SERVICES = /^src\/(labkit|submission|results|renderers|journal|grader|runner|watch)\//;

interface Findings {
  cycles: string[][];
  forbidden: string[];
}

/** The import graph of `dirs` under `root`, checked against the layers. */
async function findings(root: string, dirs: string[]): Promise<Findings & { edges: string[] }> {
  const graph = await madge(
    dirs.map((dir) => path.join(root, dir)),
    { baseDir: root, fileExtensions: ['ts', 'mjs'], tsConfig: path.join(ROOT, 'tsconfig.json'), excludeRegExp: [/\.d\.m?ts$/] },
  );
  const edges = Object.entries(graph.obj()).flatMap(([from, tos]) => tos.map((to) => ({ from, to })));
  const forbidden = edges.filter(({ from, to }) => {
    if (from.startsWith('src/') && /^(labs|scripts|tests)\//.test(to)) return true; // src/ names no week
    if (from.startsWith('labs/') && /^(src\/grader|scripts)\//.test(to)) return true; // labs are graded, they do not grade
    if (from.startsWith('src/services/')) return REFERENCE.test(to) || COURSE.test(to) || ABOVE_SERVICES.test(to); // services know no course
    if (from.startsWith('src/renderers/')) return to.startsWith('src/services/'); // reports render results, they start nothing
    if (REFERENCE.test(from)) return /^(src\/labkit|labs)\//.test(to); // the reference solution knows no lab
    if (COURSE.test(from)) return REFERENCE.test(to) || ABOVE_SERVICES.test(to); // facts depend on no solution and no layer above
    if (REFERENCE.test(to)) return from !== 'src/submission/reference.ts'; // the reference is one submission among others
    return false;
  });
  return { cycles: graph.circular(), forbidden: forbidden.map(({ from, to }) => `${from} -> ${to}`), edges: edges.map(({ from, to }) => `${from} -> ${to}`) };
}

describe('the architecture', () => {
  it('finds cycles and imports against the layers (a small tree that has them)', async () => {
    const found = await findings(path.join(ROOT, 'tests/fixtures/architecture'), ['src', 'labs']);
    expect(found.cycles).toHaveLength(1);
    expect(found.cycles[0]).toEqual(expect.arrayContaining(['src/services/backend.ts', 'src/pg/users.ts', 'labs/week-x/index.ts', 'src/grader/grade.ts']));
    expect(found.forbidden.sort()).toEqual([
      'labs/week-x/index.ts -> src/grader/grade.ts',
      'labs/week-x/spec.ts -> src/ddb/seed.ts',
      'src/course/table.ts -> src/ddb/seed.ts',
      'src/labkit/observe.ts -> src/ddb/seed.ts',
      'src/pg/users.ts -> labs/week-x/index.ts',
      'src/renderers/report.ts -> src/services/backend.ts',
      'src/services/backend.ts -> src/pg/users.ts',
      'src/services/probe.ts -> src/course/table.ts',
    ]);
  });

  it('has no import cycle and no import against the layers', async () => {
    const found = await findings(ROOT, ['src', 'labs', 'scripts']);
    expect(found.edges.length).toBeGreaterThan(300);
    expect(found.cycles).toEqual([]);
    expect(found.forbidden).toEqual([]);
  }, 60_000);
});
