import { drop } from './drop.ts';
import { listTables } from './list-tables.ts';
import { scan } from './scan.ts';
import { schemaLoad } from './schema-load.ts';
import type { Script } from './script-context.ts';
import { seed } from './seed.ts';

/** The reference solution's DynamoDB scripts, by the course's script names (`backend-flask/bin/ddb/<name>`). */
export const REFERENCE_SCRIPTS: Record<'schema-load' | 'seed' | 'scan' | 'list-tables' | 'drop', Script> = {
  'schema-load': schemaLoad,
  seed,
  scan,
  'list-tables': listTables,
  drop,
};
