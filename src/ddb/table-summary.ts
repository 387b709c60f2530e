import type { AttributeDefinition, KeySchemaElement, TableDescription } from '@aws-sdk/client-dynamodb';

/**
 * One line describing a table as DescribeTable reports it, e.g.
 * `cruddur-messages ACTIVE: pk HASH S, sk RANGE S; GSI message-group-sk-index (message_group_uuid HASH S,
 * sk RANGE S, ALL); PROVISIONED 5/5`. Used as the schema-load summary, so it shows real state.
 */
export function summarizeTable(table: TableDescription): string {
  const types = table.AttributeDefinitions ?? [];
  const keys = describeKeys(table.KeySchema, types);
  const indexes = (table.GlobalSecondaryIndexes ?? []).map(
    (gsi) => `GSI ${gsi.IndexName ?? '?'} (${describeKeys(gsi.KeySchema, types)}, ${gsi.Projection?.ProjectionType ?? '?'})`,
  );
  const billing = table.BillingModeSummary?.BillingMode ?? 'PROVISIONED';
  const capacity =
    billing === 'PAY_PER_REQUEST'
      ? 'PAY_PER_REQUEST'
      : `PROVISIONED ${table.ProvisionedThroughput?.ReadCapacityUnits ?? '?'}/${table.ProvisionedThroughput?.WriteCapacityUnits ?? '?'}`;
  return [`${table.TableName ?? '?'} ${table.TableStatus ?? '?'}: ${keys}`, ...indexes, capacity].join('; ');
}

function describeKeys(schema: KeySchemaElement[] | undefined, types: AttributeDefinition[]): string {
  return (schema ?? [])
    .map((key) => {
      const type = types.find((definition) => definition.AttributeName === key.AttributeName)?.AttributeType ?? '?';
      return `${key.AttributeName ?? '?'} ${key.KeyType ?? '?'} ${type}`;
    })
    .join(', ');
}
