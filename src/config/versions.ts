/**
 * Every pinned image and bundled service version, in one place.
 * The offline images built by `npm run images:offline` honour the same contract under their own tags.
 */
export const IMAGES = {
  dynamodb: 'amazon/dynamodb-local:3.3.0',
  postgres: 'postgres:15.14',
} as const;

/** Local tags of the images `npm run images:offline` builds without a registry (same contracts as IMAGES). */
export const OFFLINE_IMAGES = {
  dynamodb: 'cruddur-labs/dynamodb-local:3.3.0-offline',
  postgres: 'cruddur-labs/postgres:15-offline',
} as const;

/** Fake, alphanumeric credentials: DynamoDB Local accepts only letters and digits in access keys. */
export const FAKE_AWS = {
  accessKeyId: 'cruddurlabs',
  secretAccessKey: 'cruddurlabs',
  region: 'us-east-1',
} as const;
