import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseShard, shardSlice } from '../../src/grader/shard.ts';

// The instructor's sharded workflow is copied out of this repository, so nothing runs it here: these checks keep
// what it passes to the CLI in step with the CLI (and its own parts in step with each other).
const workflow = readFileSync(new URL('../../examples/classroom-matrix.yml', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

/** The one line of the workflow matching `pattern`, trimmed; fails the test when there is not exactly one. */
function line(pattern: RegExp): string {
  const found = workflow.split('\n').filter((l) => pattern.test(l));
  expect(found, `lines matching ${pattern}`).toHaveLength(1);
  return (found[0] ?? '').trim();
}

function shardList(): number[] {
  const list = /^\s*shard: \[([^\]]*)\]\s*$/.exec(line(/^\s*shard: \[/))?.[1] ?? '';
  return list.split(',').map((n) => Number(n.trim()));
}

function shardCount(): number {
  return Number(/^SHARDS: (\d+)$/.exec(line(/^\s*SHARDS:/))?.[1]);
}

describe('examples/classroom-matrix.yml stays in step with the CLI', () => {
  it('is plain YAML indented with spaces, started by hand', () => {
    expect(workflow).not.toContain('\t');
    expect(workflow).toMatch(/^on:\n {2}workflow_dispatch:\n/m);
    expect(Object.keys(pkg.scripts)).toContain('grade');
  });

  it('lists every shard 1..SHARDS in the matrix, SHARDS being the length of the list', () => {
    const shards = shardList();
    expect(shards.length).toBe(shardCount());
    expect(shards).toEqual(Array.from({ length: shardCount() }, (_, i) => i + 1));
    for (const i of shards) expect(parseShard(`${i}/${shardCount()}`)).toEqual({ index: i, count: shardCount() });
  });

  it('gives every repository of a class to exactly one job of the matrix', () => {
    const repos = Array.from({ length: 23 }, (_, i) => `learner-${i}`);
    const graded = shardList().flatMap((i) => shardSlice(repos, parseShard(`${i}/${shardCount()}`), (r) => r));
    expect(graded.sort()).toEqual([...repos].sort());
  });

  it('grades with --shard ${{ matrix.shard }}/${{ env.SHARDS }}, and exit 1 (some learners failed) does not fail the job', () => {
    const grade = line(/npm run grade -- --many/);
    expect(grade).toBe(
      'run: npm run grade -- --many class --shard ${{ matrix.shard }}/${{ env.SHARDS }} --out out/shard-${{ matrix.shard }} || [ $? -eq 1 ]',
    );
    expect(line(/^\s*fail-fast:/)).toBe('fail-fast: false');
  });

  it("uploads each shard's --out folder as shard-N, and the merge downloads shard-* into the folder it merges", () => {
    expect(line(/^\s*name: shard-/)).toBe('name: shard-${{ matrix.shard }}');
    expect(line(/^\s*path: out\/shard-/)).toBe('path: out/shard-${{ matrix.shard }}/');
    expect(line(/^\s*pattern:/)).toBe('pattern: shard-*');
    expect(line(/^\s*path: shards/)).toBe('path: shards/');
    expect(workflow).not.toMatch(/merge-multiple:\s*true/); // each artifact must keep its own folder
    expect(line(/npm run grade -- merge/)).toBe('run: npm run grade -- merge shards/shard-* --out gradebook || [ $? -eq 1 ]');
  });

  it('publishes the merged class summary and gradebook, even after a failed shard', () => {
    expect(workflow).toMatch(/^ {2}merge:\n {4}needs: grade\n(?: {4}#.*\n)* {4}if: always\(\)\n/m);
    expect(workflow).toContain('cat gradebook/class-summary.md >> "$GITHUB_STEP_SUMMARY"');
    expect(line(/^\s*name: gradebook$/)).toBe('name: gradebook');
    expect(line(/^\s*path: gradebook\/$/)).toBe('path: gradebook/');
    expect(workflow.match(/uses: actions\/upload-artifact@v4/g)).toHaveLength(2);
    expect(workflow.match(/uses: actions\/download-artifact@v4/g)).toHaveLength(1);
  });

  it('installs what the grader needs, and gives the learner-code job no token', () => {
    for (const pkgName of ['openjdk-17-jre-headless', 'python3-psycopg', 'python3-psycopg-pool', 'bubblewrap']) {
      expect(line(/apt-get install/)).toContain(pkgName);
    }
    expect(workflow.match(/persist-credentials: false/g)).toHaveLength(3);
    expect(workflow.match(/secrets\./g)).toHaveLength(1);
    expect(line(/secrets\./)).toBe('GH_TOKEN: ${{ secrets.CLASSROOM_TOKEN }}');
  });
});
