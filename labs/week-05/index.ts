import type { LabDefinition } from '../../src/labkit/define-lab.ts';
import { defineWeek } from '../../src/labkit/define-week.ts';
import { lab as lab01 } from './01-dynamodb-local/lab.ts';
import { lab as lab02 } from './02-create-table/lab.ts';
import { lab as lab03 } from './03-seed/lab.ts';
import { lab as lab04 } from './04-scan/lab.ts';
import { lab as lab05 } from './05-list-tables/lab.ts';
import { lab as lab06 } from './06-admin-ui/lab.ts';
import { lab as lab07 } from './07-access-patterns/lab.ts';
import { WEEK05_JOURNAL } from './journal.ts';

/** The week's manifest: its labs in order and its journal. */
export const WEEK05 = defineWeek({ id: 'week-05', title: 'DynamoDB', labs: [lab01, lab02, lab03, lab04, lab05, lab06, lab07], journal: WEEK05_JOURNAL });

/** Every lab of the week, in order. */
export const WEEK05_LABS: readonly LabDefinition[] = WEEK05.labs;

export default WEEK05;
