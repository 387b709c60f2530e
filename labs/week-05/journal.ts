import type { WeekJournal } from '../../src/journal/week-journal.ts';

/** The week's journal: `week05.md`/`.html`, with lab 06's screenshot of DynamoDB Admin. */
export const WEEK05_JOURNAL: WeekJournal = {
  name: 'week05',
  title: 'Week 05 journal: DynamoDB',
  assetsDir: 'assets/week05',
  screenshot: { task: '06-admin-ui/3', alt: 'DynamoDB Admin showing the items of cruddur-messages' },
  tools: { adminUi: 'DynamoDB Admin' },
};
