import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError } from '../errors.ts';
import { localDynamoClient } from '../services/dynamo-client.ts';
import { describeTarget, resolveDynamoTarget, type DynamoTarget } from './endpoint.ts';
import type { ScriptContext } from './script-context.ts';

/**
 * The DynamoDB client a script uses for a resolved target. Local endpoints get the fake credentials of
 * `localDynamoClient`, so they can never sign for real AWS. Real AWS (only after an explicit `prod` argument)
 * needs a region from the script's environment and takes its keys from there too when they are set; only
 * without them does the SDK's default credential chain (profiles, instance roles) apply.
 */
export function dynamoClientFor(target: DynamoTarget, env: Record<string, string | undefined>): DynamoDBClient {
  if (target.kind === 'local') return localDynamoClient(target.endpoint);
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  if (!region) {
    throw new ConfigError(`The "prod" argument selects real AWS, which needs a region: set AWS_REGION (e.g. ca-central-1), or drop "prod" to use DynamoDB Local.`);
  }
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  const sessionToken = env.AWS_SESSION_TOKEN?.trim() || undefined;
  return new DynamoDBClient({
    region,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey, sessionToken } } : {}),
  });
}

/** A script's DynamoDB connection: the resolved target (for messages) and its client. */
export interface ScriptDynamo {
  target: DynamoTarget;
  client: DynamoDBClient;
}

/**
 * Resolves the target from a script's mode arguments and environment, says on stderr which DynamoDB it
 * uses (the journal then shows it), and opens a client. The caller destroys the client.
 */
export function openDynamo(modeArgs: readonly string[], ctx: ScriptContext): ScriptDynamo {
  const target = resolveDynamoTarget(modeArgs, ctx.env);
  ctx.err(`using ${describeTarget(target)}`);
  return { target, client: dynamoClientFor(target, ctx.env) };
}
