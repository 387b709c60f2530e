import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { FAKE_AWS } from '../config/versions.ts';

/** A client for a local DynamoDB endpoint, with fake credentials: it can never sign for real AWS. */
export function localDynamoClient(endpoint: string, options: { maxAttempts?: number; timeoutMs?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: FAKE_AWS.region,
    credentials: { accessKeyId: FAKE_AWS.accessKeyId, secretAccessKey: FAKE_AWS.secretAccessKey },
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: { requestTimeout: options.timeoutMs ?? 10_000, connectionTimeout: options.timeoutMs ?? 10_000 },
  });
}
