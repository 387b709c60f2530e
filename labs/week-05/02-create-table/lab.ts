import { defineLab } from '../../../src/labkit/define-lab.ts';

// The labs name the table and its index as the course does (src/course owns both names).
export { MESSAGES_TABLE as TABLE, MESSAGE_GROUP_INDEX as GSI } from '../../../src/course/messages-table.ts';

export const lab = defineLab({
  id: '02-create-table',
  title: 'Create the cruddur-messages table (schema-load)',
  readme: 'labs/week-05/02-create-table/README.md',
  steps: ['schema-load'],
  tasks: {
    1: {
      name: 'schema-load creates the table cruddur-messages',
      points: 2,
      hint: 'Run `./bin/ddb/schema-load` from backend-flask; the table name must be exactly `cruddur-messages`, and every attribute a key or index uses needs an AttributeDefinition.',
    },
    2: {
      name: 'The table is ACTIVE with key pk (HASH, S) and sk (RANGE, S)',
      points: 2,
      hint: 'KeySchema: pk HASH and sk RANGE; AttributeDefinitions: pk S and sk S.',
    },
    3: {
      name: 'The GSI message-group-sk-index, when present, is keyed message_group_uuid + sk with projection ALL',
      points: 1,
      hint: 'GlobalSecondaryIndexes: IndexName message-group-sk-index, KeySchema message_group_uuid HASH + sk RANGE, Projection ALL; add message_group_uuid (S) to AttributeDefinitions.',
    },
  },
});
