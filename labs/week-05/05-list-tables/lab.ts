import { defineLab } from '../../../src/labkit/define-lab.ts';

export const lab = defineLab({
  id: '05-list-tables',
  title: 'List the tables (list-tables)',
  readme: 'labs/week-05/05-list-tables/README.md',
  steps: ['list-tables'],
  tasks: {
    1: {
      name: 'list-tables names cruddur-messages',
      points: 1,
      hint: 'Call `aws dynamodb list-tables` with `--endpoint-url=http://localhost:8000` (unless the first argument is prod) and print the names.',
    },
    2: {
      name: 'list-tables names every table, not a fixed one',
      points: 1,
      hint: 'Print what ListTables returns; do not echo table names you know.',
    },
  },
});
