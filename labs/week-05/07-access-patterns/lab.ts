import { defineLab } from '../../../src/labkit/define-lab.ts';

export const lab = defineLab({
  id: '07-access-patterns',
  title: 'The access patterns (get-conversation, list-conversations, the GSI)',
  readme: 'labs/week-05/07-access-patterns/README.md',
  steps: ['schema-load', 'get-conversation', 'list-conversations'],
  tasks: {
    1: {
      name: "get-conversation prints the newest 20 of this year's messages of the group",
      points: 2,
      hint: "Query pk = MSG#<group> AND begins_with(sk, :year) with the current year (str(datetime.now(timezone.utc).year), never '2023'), ScanIndexForward=False and Limit=20, and print every item it returns.",
    },
    2: {
      name: "list-conversations prints the user's message groups of this year, not older ones",
      points: 2,
      hint: "Look the user's uuid up in Postgres by handle, then query pk = GRP#<uuid> AND begins_with(sk, :year) with the current year; every :name in the expression needs the same name in ExpressionAttributeValues.",
    },
    3: {
      name: 'The GSI message-group-sk-index of your table answers a query by message_group_uuid',
      points: 1,
      hint: 'schema-load must create cruddur-messages with the GSI message-group-sk-index (message_group_uuid HASH, sk RANGE, projection ALL) and message_group_uuid in AttributeDefinitions.',
    },
  },
});
