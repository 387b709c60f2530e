import type { WeekJournal } from '../journal/week-journal.ts';
import { labOfTask } from '../journal/week-journal.ts';
import type { LabDefinition } from './define-lab.ts';

/**
 * A week of the course: its labs in order and its journal. The grader, the reporter, the journal and the
 * scripts read everything week-specific from here (`labs/<week>/index.ts`); nothing under `src/` names a week.
 */
export interface WeekDefinition {
  /** Its folder under `labs/`. */
  id: string;
  title: string;
  labs: readonly LabDefinition[];
  journal: WeekJournal;
}

/** Checks a week's manifest when it loads: lab ids unique, and the screenshot task one of its labs' tasks. */
export function defineWeek(week: WeekDefinition): WeekDefinition {
  const ids = week.labs.map((lab) => lab.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw new Error(`Week ${week.id}: lab ${twice} is listed twice.`);
  const shot = week.journal.screenshot?.task;
  if (shot) {
    const lab = week.labs.find((l) => l.id === labOfTask(shot));
    const n = Number(shot.slice(labOfTask(shot).length + 1));
    if (!lab || !(n in lab.tasks)) throw new Error(`Week ${week.id}: the journal's screenshot task ${shot} is not a task of its labs.`);
  }
  if (!/^[\w.-]+$/.test(week.journal.name)) throw new Error(`Week ${week.id}: the journal's name ${JSON.stringify(week.journal.name)} is not a plain file name.`);
  return week;
}

/**
 * The lab ids a `--labs` list names: each entry is a lab's id, or the start of exactly one (`03`, `03-seed`,
 * `3`). What names no lab, or more than one, is returned to be reported.
 */
export function pickLabs(labs: readonly LabDefinition[], list: string): { ids: string[]; unknown: string[]; ambiguous: string[] } {
  const ids: string[] = [];
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const entry of list.split(',').map((e) => e.trim()).filter(Boolean)) {
    const exact = labs.find((lab) => lab.id === entry);
    const wanted = /^\d$/.test(entry) ? `0${entry}` : entry;
    const matches = exact ? [exact] : labs.filter((lab) => lab.id.startsWith(wanted));
    if (matches.length === 1) {
      const id = (matches[0] as LabDefinition).id;
      if (!ids.includes(id)) ids.push(id);
    } else (matches.length === 0 ? unknown : ambiguous).push(entry);
  }
  return { ids, unknown, ambiguous };
}
