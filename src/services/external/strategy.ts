import { errorMessage, ServiceError } from '../../errors.ts';
import { probeDynamoDb, probePostgres } from '../probes.ts';
import type { BackendStrategy } from '../types.ts';
import { assertLocalUrl } from './local-only.ts';

/** Services the user already runs (e.g. the course's docker compose), only on this machine. */
export const externalStrategy: BackendStrategy = {
  name: 'external',
  async start(config) {
    const { dynamodbEndpoint, postgresUrl } = config.external;
    if (!dynamodbEndpoint || !postgresUrl) {
      return { kind: 'declined', reason: 'LAB_DYNAMODB_ENDPOINT and LAB_POSTGRES_URL are not both set' };
    }
    const ddb = assertLocalUrl(dynamodbEndpoint, 'LAB_DYNAMODB_ENDPOINT', ['http:', 'https:']);
    const pgUrl = assertLocalUrl(postgresUrl, 'LAB_POSTGRES_URL', ['postgres:', 'postgresql:']);
    try {
      await probeDynamoDb(dynamodbEndpoint, 3_000);
    } catch (error) {
      throw new ServiceError(
        `Nothing answered ListTables at LAB_DYNAMODB_ENDPOINT=${dynamodbEndpoint} (${errorMessage(error)}). ` +
          'Start DynamoDB Local there (e.g. `docker compose up -d dynamodb-local`) or unset LAB_BACKEND to let the suite start one.',
        { cause: error },
      );
    }
    let version: string;
    try {
      version = await probePostgres(postgresUrl, 3_000);
    } catch (error) {
      throw new ServiceError(
        `Postgres at LAB_POSTGRES_URL did not answer (${errorMessage(error)}). Check that it runs and that the database ` +
          `in the URL exists (the labs use \`${config.postgresAccount.database}\`).`,
        { cause: error },
      );
    }
    const port = Number(ddb.port || (ddb.protocol === 'https:' ? 443 : 80));
    return {
      kind: 'started',
      dynamodb: { facts: { endpoint: dynamodbEndpoint.replace(/\/+$/, ''), port, version: 'unknown (external)' }, stop: async () => {} },
      postgres: {
        facts: {
          url: postgresUrl,
          host: pgUrl.hostname,
          port: Number(pgUrl.port || 5432),
          user: decodeURIComponent(pgUrl.username),
          password: decodeURIComponent(pgUrl.password),
          database: pgUrl.pathname.replace(/^\//, '') || 'postgres',
          version,
        },
        stop: async () => {},
      },
    };
  },
};

