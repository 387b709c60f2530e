import { defineLab } from '../../../src/labkit/define-lab.ts';

export const lab = defineLab({
  id: '01-dynamodb-local',
  title: 'Run DynamoDB Local and Postgres',
  readme: 'labs/week-05/01-dynamodb-local/README.md',
  steps: [],
  tasks: {
    1: {
      name: 'DynamoDB Local answers ListTables',
      points: 1,
      hint: 'Start DynamoDB Local on port 8000 (the course: `docker compose up dynamodb-local`) and check it with `aws dynamodb list-tables --endpoint-url http://localhost:8000`. In a graded repository: a service with image `amazon/dynamodb-local` and `ports: ["8000:8000"]` in docker-compose.yml.',
    },
    2: {
      name: 'DynamoDB Local runs with -sharedDb',
      points: 1,
      hint: 'Without `-sharedDb` every access key and region sees its own tables; add `-sharedDb` to the command of the dynamodb-local service.',
    },
    3: {
      name: 'Postgres answers and the cruddur database holds users',
      points: 1,
      hint: 'Start Postgres (`docker compose up db`), create the database (`createdb cruddur`) and load backend-flask/db/schema.sql. In a graded repository: a `postgres` service whose POSTGRES_PASSWORD and published port match your CONNECTION_URL.',
    },
  },
});
