import { describe, expect, it } from 'vitest';
import { WEEK05_LABS } from '../../../labs/week-05/index.ts';
import { defineLab, isEvidenceOnly } from '../../../src/labkit/define-lab.ts';

describe('labs that verify nothing of the submission', () => {
  it('are those without steps and without points: of week 5, lab 06 alone', () => {
    expect(WEEK05_LABS.filter(isEvidenceOnly).map((lab) => lab.id)).toEqual(['06-admin-ui']);
  });

  it('do not include a lab with points even when it runs no step (lab 01 reads the compose file)', () => {
    const scored = defineLab({ id: 'x', title: 'x', readme: 'x', steps: [], tasks: { 1: { name: 'a', points: 1, hint: '' } } });
    const stepped = defineLab({ id: 'y', title: 'y', readme: 'y', steps: ['seed'], tasks: { 1: { name: 'a', points: 0, hint: '' } } });
    expect([isEvidenceOnly(scored), isEvidenceOnly(stepped)]).toEqual([false, false]);
  });
});
