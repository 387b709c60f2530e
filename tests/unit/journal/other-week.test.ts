import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { WeekJournal } from '../../../src/journal/index.ts';
import { renderJournal, writeJournal } from '../../../src/journal/index.ts';
import { defineWeek, pickedLabsProblem, pickLabs } from '../../../src/labkit/define-week.ts';
import { defineLab } from '../../../src/labkit/define-lab.ts';
import { runResults, taskResult } from '../../fixtures/results.ts';
import { tinyPng } from './tiny-png.ts';

// A week the journal code was not written for: everything it names comes from the week's manifest.
const WEEK06: WeekJournal = {
  name: 'week06',
  title: 'Week 06 journal: ECS',
  assetsDir: 'images/',
  screenshot: { task: '02-deploy/2', alt: 'The service answering its health check' },
};
const tmp: string[] = [];
afterAll(async () => Promise.all(tmp.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("another week's journal", () => {
  it('takes its title, file names, assets folder and screenshot task from the manifest', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'cruddur-labs-week06-'));
    tmp.push(root);
    const png = tinyPng(32, 20);
    await mkdir(path.join(root, 'shots'), { recursive: true });
    await writeFile(path.join(root, 'shots/health.png'), png);
    const screenshot = { path: 'shots/health.png', width: 32, height: 20, bytes: png.length, sha256: createHash('sha256').update(png).digest('hex') };
    const results = runResults([taskResult('01-build/1'), taskResult('02-deploy/1'), taskResult('02-deploy/2', { evidence: { screenshot } })], {
      titles: { '01-build': 'Build the image', '02-deploy': 'Deploy the service' },
    });

    const written = await writeJournal(results, path.join(root, 'out'), { journal: WEEK06, projectRoot: root });
    expect(written.markdownFile).toBe(path.join(root, 'out/week06.md'));
    expect(written.htmlFile).toBe(path.join(root, 'out/week06.html'));
    expect(written.screenshotFile).toBe(path.join(root, 'out/images/02-deploy.png'));
    expect(await readFile(path.join(root, 'out/images/02-deploy.png'))).toEqual(png);
    expect(written.brokenLinks).toEqual([]);
    const md = await readFile(written.markdownFile, 'utf8');
    expect(md.split('\n')[0]).toBe('# Week 06 journal: ECS');
    expect(md).toContain('![The service answering its health check](images/02-deploy.png)');
    // The screenshot sits in the section of its own lab, and nothing of week 05 appears.
    const deploy = md.slice(md.indexOf('## Lab 02-deploy'));
    expect(deploy).toContain('### Screenshot');
    expect(md.slice(0, md.indexOf('## Lab 02-deploy'))).not.toContain('### Screenshot');
    expect(md).not.toMatch(/week ?05|DynamoDB Admin|06-admin-ui/i);
    expect(existsSync(path.join(root, 'out/assets'))).toBe(false);
  });

  it('has no screenshot section when its week takes none', () => {
    const { screenshot: _none, ...plain } = WEEK06;
    const md = renderJournal(runResults([taskResult('02-deploy/2')]), { journal: plain });
    expect(md).not.toContain('Screenshot');
    expect(md.split('\n')[0]).toBe('# Week 06 journal: ECS');
  });
});

describe('defineWeek', () => {
  const lab = (id: string) => defineLab({ id, title: id, readme: `labs/week-06/${id}/README.md`, steps: [], tasks: { 1: { name: 'one', points: 1, hint: '' }, 2: { name: 'two', points: 1, hint: '' } } });

  it('accepts a manifest whose screenshot task is a task of its labs', () => {
    expect(defineWeek({ id: 'week-06', title: 'ECS', labs: [lab('01-build'), lab('02-deploy')], journal: WEEK06 }).labs).toHaveLength(2);
  });

  it('names what is wrong in a manifest: a lab listed twice, a screenshot task that does not exist, a journal name that is a path', () => {
    expect(() => defineWeek({ id: 'week-06', title: 'ECS', labs: [lab('01-build'), lab('01-build'), lab('02-deploy')], journal: WEEK06 })).toThrow('Week week-06: lab 01-build is listed twice.');
    expect(() => defineWeek({ id: 'week-06', title: 'ECS', labs: [lab('01-build')], journal: WEEK06 })).toThrow('the journal\'s screenshot task 02-deploy/2 is not a task of its labs');
    expect(() => defineWeek({ id: 'week-06', title: 'ECS', labs: [lab('02-deploy')], journal: { ...WEEK06, screenshot: { task: '02-deploy/3', alt: '' } } })).toThrow('02-deploy/3 is not a task');
    expect(() => defineWeek({ id: 'week-06', title: 'ECS', labs: [lab('02-deploy')], journal: { ...WEEK06, name: '../week06' } })).toThrow('is not a plain file name');
  });
});

describe('pickLabs', () => {
  const labs = ['01-build', '02-deploy', '10-debug', '11-debug-more'].map((id) => defineLab({ id, title: id, readme: '', steps: [], tasks: { 1: { name: 'one', points: 1, hint: '' } } }));

  it('takes ids, their number or the start of exactly one lab, once each, in the order given', () => {
    expect(pickLabs(labs, '02-deploy, 1,01,10-debug')).toEqual({ ids: ['02-deploy', '01-build', '10-debug'], unknown: [], ambiguous: [] });
    expect(pickLabs(labs, '02-d,11')).toEqual({ ids: ['02-deploy', '11-debug-more'], unknown: [], ambiguous: [] });
  });

  it('returns what names no lab and what names more than one', () => {
    expect(pickLabs(labs, '03,deploy,1-,0,01-build')).toEqual({ ids: ['01-build'], unknown: ['03', 'deploy', '1-', '0'], ambiguous: [] });
    const unnumbered = ['setup-db', 'setup-table'].map((id) => defineLab({ id, title: id, readme: '', steps: [], tasks: { 1: { name: 'one', points: 1, hint: '' } } }));
    expect(pickLabs(unnumbered, 'setup,setup-t')).toEqual({ ids: ['setup-table'], unknown: [], ambiguous: ['setup'] });
    expect(pickedLabsProblem(labs, pickLabs(labs, '03,1'))).toBe('unknown lab(s) 03; the labs are 01-build, 02-deploy, 10-debug, 11-debug-more (an id, its number or its start).');
    expect(pickedLabsProblem(unnumbered, pickLabs(unnumbered, 'setup'))).toBe('setup names more than one lab; the labs are setup-db, setup-table.');
    expect(pickedLabsProblem(labs, pickLabs(labs, '1,02-d'))).toBeUndefined();
    expect(pickLabs(labs, '1, ,')).toEqual({ ids: ['01-build'], unknown: [], ambiguous: [] });
  });
});
