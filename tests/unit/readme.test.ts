import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WEEK05_LABS } from '../../labs/week-05/index.ts';
import { CONFIG_VARIABLES } from '../../src/config/load-config.ts';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };

describe('the README stays true', () => {
  it('documents every configuration variable the loader reads', () => {
    for (const variable of CONFIG_VARIABLES) expect(readme, variable.name).toContain(`| \`${variable.name}\` |`);
  });

  it('lists every lab with its points', () => {
    for (const lab of WEEK05_LABS) {
      const points = Object.values(lab.tasks).reduce((sum, t) => sum + t.points, 0);
      expect(readme, lab.id).toMatch(new RegExp(`\\[\`${lab.id}\`\\]\\(labs/week-05/${lab.id}/README\\.md\\).*\\| ${points} \\|`));
    }
  });

  it('names only npm scripts that exist', () => {
    for (const match of readme.matchAll(/npm run ([a-z:-]+)/g)) expect(Object.keys(pkg.scripts), match[0]).toContain(match[1]);
  });

  it('every lab README has an anchor for each task the failure messages point at', () => {
    for (const lab of WEEK05_LABS) {
      const text = readFileSync(new URL(`../../${lab.readme}`, import.meta.url), 'utf8');
      for (const n of Object.keys(lab.tasks)) expect(text, `${lab.readme} task ${n}`).toContain(`<a id="task-${n}"></a>`);
    }
  });
});
