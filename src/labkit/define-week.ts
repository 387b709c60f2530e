import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { SUITE_ROOT } from '../config/suite-root.ts';
import { ConfigError } from '../errors.ts';
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

/** What is wrong with a `--labs` list as `pickLabs` read it, in words for the person who typed it; undefined if nothing. */
export function pickedLabsProblem(labs: readonly LabDefinition[], picked: ReturnType<typeof pickLabs>): string | undefined {
  const known = labs.map((lab) => lab.id).join(', ');
  if (picked.unknown.length > 0) return `unknown lab(s) ${picked.unknown.join(', ')}; the labs are ${known} (an id, its number or its start).`;
  if (picked.ambiguous.length > 0) return `${picked.ambiguous.join(', ')} names more than one lab; the labs are ${known}.`;
  return undefined;
}

/** The manifest the suite runs when LAB_WEEK names none: the course's current week. */
export const CURRENT_WEEK = 'labs/index.ts';

/**
 * The week a run is about: the manifest module LAB_WEEK names (relative to the suite's root; its default export),
 * else the course's current week. The labs' vitest project, the grader, the reports and the journal all take it
 * from here.
 */
export async function loadWeek(file: string = process.env.LAB_WEEK?.trim() || CURRENT_WEEK): Promise<WeekDefinition> {
  const full = path.resolve(SUITE_ROOT, file);
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(full).href)) as { default?: unknown };
  } catch (error) {
    throw new ConfigError(`LAB_WEEK=${file}: the week's manifest could not be loaded (${error instanceof Error ? error.message : String(error)}). Name a module such as labs/index.ts (the current week).`, { cause: error });
  }
  const week = module.default as Partial<WeekDefinition> | undefined;
  if (!week || !Array.isArray(week.labs) || typeof week.journal !== 'object' || typeof week.id !== 'string') {
    throw new ConfigError(`LAB_WEEK=${file}: its default export is not a week (defineWeek({ id, title, labs, journal })).`);
  }
  return defineWeek(week as WeekDefinition);
}

/** The spec files of a week's labs (each lab's folder, where its README is), as vitest include patterns. */
export function weekSpecPatterns(week: WeekDefinition): string[] {
  return week.labs.map((lab) => `${path.posix.dirname(lab.readme)}/*.spec.ts`);
}
