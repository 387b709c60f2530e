import { drop } from './drop.ts';
import { getConversation } from './get-conversation.ts';
import { groupMessages } from './group-messages.ts';
import { listConversations } from './list-conversations.ts';
import { listTables } from './list-tables.ts';
import { scan } from './scan.ts';
import { schemaLoad } from './schema-load.ts';
import type { Script } from './script-context.ts';
import { seed } from './seed.ts';

/**
 * The reference solution's DynamoDB scripts, by the course's script names (`backend-flask/bin/ddb/<name>`,
 * the access patterns under `bin/ddb/patterns/`). `group-messages` has no course counterpart: it is the GSI
 * query of the course's app code, made runnable.
 */
export const REFERENCE_SCRIPTS: Record<
  'schema-load' | 'seed' | 'scan' | 'list-tables' | 'drop' | 'get-conversation' | 'list-conversations' | 'group-messages',
  Script
> = {
  'schema-load': schemaLoad,
  seed,
  scan,
  'list-tables': listTables,
  drop,
  'get-conversation': getConversation,
  'list-conversations': listConversations,
  'group-messages': groupMessages,
};
