import type { WeekJournal } from '../../src/journal/week-journal.ts';

/** The week's journal: `week05.md`/`.html`, with lab 06's screenshot of DynamoDB Admin and the labs' evidence. */
export const WEEK05_JOURNAL: WeekJournal = {
  name: 'week05',
  title: 'Week 05 journal: DynamoDB',
  assetsDir: 'assets/week05',
  screenshot: { task: '06-admin-ui/3', alt: 'DynamoDB Admin showing the items of cruddur-messages' },
  tools: { adminUi: 'DynamoDB Admin' },
  evidence: {
    usersColumns: {
      kind: 'rows',
      title: 'Columns of `users`',
      columns: [
        { key: 'column_name', header: 'Column' },
        { key: 'data_type', header: 'Type' },
      ],
    },
    table: { kind: 'dynamodb-table' },
    users: {
      kind: 'rows',
      title: 'Users in Postgres (this run)',
      columns: [
        { key: 'handle', header: 'Handle' },
        { key: 'display_name', header: 'Display name' },
        { key: 'uuid', header: 'uuid' },
      ],
    },
    counts: {
      kind: 'breakdown',
      title: 'Items by entity',
      total: 'items',
      headers: ['Entity', 'Partition key', 'Items'],
      parts: [
        { key: 'groups', label: 'Message groups', note: 'GRP#<user uuid>' },
        { key: 'messages', label: 'Messages', note: 'MSG#<message_group_uuid>' },
      ],
      rest: 'Other items',
      all: 'All items',
    },
    firstMessages: {
      kind: 'rows',
      title: 'The first messages of the conversation',
      columns: [
        { key: 'sk', header: 'Time (sk)' },
        { key: 'user_handle', header: 'From' },
        { key: 'message', header: 'Message' },
      ],
    },
    coverage: { kind: 'part-of', title: 'Scan coverage', lead: 'the scan printed', part: 'printed', whole: 'total', noun: 'items' },
    listed: {
      kind: 'rows',
      title: 'Tables the page listed',
      columns: [
        { key: 'name', header: 'Table', code: true },
        { key: 'itemCount', header: 'Items', numeric: true },
      ],
    },
    served: { kind: 'fields', title: 'What the table page served' },
    tables: { kind: 'names', title: 'Tables' },
  },
};
