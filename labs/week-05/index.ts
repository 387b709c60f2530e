import type { LabDefinition } from '../../src/labkit/define-lab.ts';
import { lab as lab01 } from './01-dynamodb-local/lab.ts';
import { lab as lab02 } from './02-create-table/lab.ts';
import { lab as lab03 } from './03-seed/lab.ts';
import { lab as lab04 } from './04-scan/lab.ts';
import { lab as lab05 } from './05-list-tables/lab.ts';
import { lab as lab06 } from './06-admin-ui/lab.ts';
import { lab as lab07 } from './07-access-patterns/lab.ts';

/** Every lab of the week, in order. */
export const WEEK05_LABS: readonly LabDefinition[] = [lab01, lab02, lab03, lab04, lab05, lab06, lab07];
