/**
 * The Postgres database and credentials the course used (docker-compose.yml of the course). A module of its own,
 * with no imports: the configuration reads it in every process, before anything else loads.
 */
export const COURSE_POSTGRES = {
  user: 'postgres',
  password: 'password',
  database: 'cruddur',
} as const;
