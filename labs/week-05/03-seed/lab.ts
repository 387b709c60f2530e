import { defineLab } from '../../../src/labkit/define-lab.ts';

/** Fewer messages than this is "wrote almost nothing" (the course writes 104; get-conversation shows 20). */
export const MIN_MESSAGES = 20;
/** Clock skew tolerated before a time counts as "in the future". */
export const FUTURE_TOLERANCE_MS = 60_000;

export const lab = defineLab({
  id: '03-seed',
  title: 'Seed a conversation from Postgres users (seed)',
  readme: 'labs/week-05/03-seed/README.md',
  steps: ['seed'],
  tasks: {
    1: {
      name: 'seed runs and writes items into cruddur-messages',
      points: 2,
      hint: 'Run `./bin/ddb/seed` after schema-load; it must finish with exit code 0 and put items into `cruddur-messages`.',
    },
    2: {
      name: 'Two message-group items, one per participant, describe the other participant',
      points: 2,
      hint: 'Write one GRP#<user uuid> item for each user, same message_group_uuid, each holding the OTHER user\'s uuid, handle and display name.',
    },
    3: {
      name: 'The conversation: messages in the group, from both users, with uuid ids and ISO-8601 times',
      points: 2,
      hint: 'put_item every message inside the loop: pk MSG#<message_group_uuid>, sk created_at in ISO 8601, message_uuid = str(uuid.uuid4()).',
    },
    4: {
      name: 'Every user uuid, handle and display name matches a Postgres row',
      points: 2,
      hint: 'Look the users up in Postgres by handle (SELECT uuid, display_name, handle FROM users WHERE handle IN (...)); never paste uuids, they change whenever the database is reseeded.',
    },
    5: {
      name: 'No message is dated in the future',
      points: 1,
      hint: 'Start the conversation in the past (now - 1 day) in UTC, so that new messages sort after the seeded ones.',
    },
  },
});
