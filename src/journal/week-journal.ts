import type { EvidenceView } from './evidence-view.ts';

/** What a week's journal is called and shows: part of the week's manifest (`labs/<week>/week.ts`). */
export interface WeekJournal {
  /** Its base file name: `<name>.md` and `<name>.html`. */
  name: string;
  /** Its title, the first heading. */
  title: string;
  /** Where its images go, relative to the markdown file. */
  assetsDir: string;
  /** The task whose evidence records the week's screenshot (a PNG), and the picture's alternative text. */
  screenshot?: { task: string; alt: string };
  /**
   * Evidence keys under which a lab records a tool it started (`{ command, version, url, log }`), with the tool's
   * name: the journal shows its command and log with the task, and its version among the run's environment.
   */
  tools?: Record<string, string>;
  /**
   * Evidence keys the week's labs record, in the order the journal shows them (after the steps, tools and
   * services), each with how to show it. Keys not named here are shown as JSON.
   */
  evidence?: Record<string, EvidenceView>;
}

/** The lab of a task id (`02-deploy/3` → `02-deploy`). */
export const labOfTask = (taskId: string): string => taskId.replace(/\/[^/]*$/, '');

/** The screenshot's file name in the journal's assets: named after its lab. */
export const screenshotName = (journal: WeekJournal): string | undefined => journal.screenshot && `${labOfTask(journal.screenshot.task)}.png`;
