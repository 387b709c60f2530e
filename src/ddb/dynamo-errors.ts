import { awsErrorName, ConfigError, errorMessage, ServiceError } from '../errors.ts';
import { describeTarget, type DynamoTarget } from './endpoint.ts';
import { DEFAULT_TABLE } from './script-args.ts';

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** True when the request never reached a DynamoDB endpoint (nothing listening, unknown host, timeout). */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? error.code : undefined;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const name = awsErrorName(error);
  return name === 'TimeoutError' || (error instanceof AggregateError && error.errors.some(isUnreachable));
}

/** The error for a request that failed for no reason the script handles itself. Keeps the SDK error as cause. */
export function dynamoFailure(action: string, target: DynamoTarget, error: unknown): ServiceError {
  if (isUnreachable(error)) {
    return new ServiceError(
      `${action} could not reach ${describeTarget(target)}: ${errorMessage(error) || awsErrorName(error) || 'no answer'}. ` +
        'Start DynamoDB Local (the course ran it with docker compose on port 8000), or point AWS_ENDPOINT_URL at it.',
      { cause: error },
    );
  }
  return new ServiceError(`${action} failed on ${describeTarget(target)}: ${awsErrorName(error)}: ${errorMessage(error)}`, { cause: error });
}

/** The error for a table that does not exist, with the step that creates it. */
export function missingTable(table: string, target: DynamoTarget, cause: unknown): ConfigError {
  return new ConfigError(
    `Table ${table} does not exist on ${describeTarget(target)}. Create it first with npm run ddb:schema-load` +
      `${table === DEFAULT_TABLE ? '' : ` -- --table ${table}`}, or check the name with npm run ddb:list-tables.`,
    { cause },
  );
}
