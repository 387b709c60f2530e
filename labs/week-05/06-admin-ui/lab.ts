import { defineLab } from '../../../src/labkit/define-lab.ts';

/** Where the screenshot goes, relative to the journal directory (LAB_JOURNAL_DIR, default `journal/`). */
export const SCREENSHOT_IN_JOURNAL = 'assets/week05/06-admin-ui.png';
/** The browser window, and so the PNG's size in pixels. */
export const VIEWPORT = { width: 1280, height: 800 } as const;
/** A real screenshot of the items page is tens of KB; a blank or broken page compresses to a few. */
export const MIN_SCREENSHOT_BYTES = 12 * 1024;

/**
 * Evidence, not a verdict: the suite fills the table with the reference seed and runs DynamoDB Admin itself,
 * so nothing here depends on the learner's scripts and no task is worth points. A task can still end `error`
 * (the UI or the browser did not work) and the journal then says why there is no picture.
 */
export const lab = defineLab({
  id: '06-admin-ui',
  title: 'Look at the table in DynamoDB Admin (dynamodb-admin)',
  readme: 'labs/week-05/06-admin-ui/README.md',
  steps: [],
  tasks: {
    1: {
      name: 'DynamoDB Admin lists cruddur-messages',
      points: 0,
      hint: 'Start it with `DYNAMO_ENDPOINT=http://localhost:8000 dynamodb-admin` (npm package `dynamodb-admin`) and open http://localhost:8001: the table list shows `cruddur-messages` with its item count.',
    },
    2: {
      name: "The table's page serves its items",
      points: 0,
      hint: 'Open `cruddur-messages` in DynamoDB Admin: it scans the table and shows the items 25 per page, with the item count next to the name.',
    },
    3: {
      name: 'A screenshot of the items page for the journal',
      points: 0,
      hint: 'The suite takes the screenshot with Chromium: install it (`sudo apt-get install -y chromium`) or set LAB_CHROMIUM to a Chromium or Chrome executable.',
    },
  },
});
