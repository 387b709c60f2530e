import { defineLab } from '../../../src/labkit/define-lab.ts';

/** Items of the one-page table. */
export const SMALL_ITEMS = 30;
/**
 * Items and their size for the table that needs more than one 1 MB scan page (~1.6 MB). Few large items cost
 * DynamoDB Local and the learner's scan less than many small ones, and need the same two pages; the bench
 * raises the count (and lowers the size) to time a 10,000-item table.
 */
export const LARGE_ITEMS = Number(process.env.LAB_SCAN_LARGE_ITEMS ?? 40);
export const LARGE_ITEM_BYTES = Number(process.env.LAB_SCAN_LARGE_ITEM_BYTES ?? 40_000);

export const lab = defineLab({
  id: '04-scan',
  title: 'Print every item of the table (scan)',
  readme: 'labs/week-05/04-scan/README.md',
  steps: ['scan'],
  tasks: {
    1: {
      name: 'scan prints every item of a one-page table',
      points: 1,
      hint: "Scan `cruddur-messages` and print every item of response['Items'] (capital I).",
    },
    2: {
      name: 'scan prints every item when the table is larger than one 1 MB scan page',
      points: 2,
      hint: "One Scan call returns at most 1 MB: call it again with ExclusiveStartKey=response['LastEvaluatedKey'] until there is no LastEvaluatedKey.",
    },
  },
});
