// Starts embedded DynamoDB Local with the class archive's cache folder given as the argument, and stops it: one of
// two processes that do so at once in dynamodb-classes.test.ts (two grading workers on an empty cache).
import { findDynamoDbLocalJar, startEmbeddedDynamoDb } from '../../../src/services/embedded/dynamodb-local.ts';
import { freePort } from '../../../src/services/ports.ts';

const started = await startEmbeddedDynamoDb({ java: 'java', jar: findDynamoDbLocalJar() as string, port: await freePort(), timeoutMs: 60_000, cacheDir: process.argv[2] });
await started.stop();
