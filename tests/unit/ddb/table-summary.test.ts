import { describe, expect, it } from 'vitest';
import { messagesTableDefinition } from '../../../src/course/messages-table.ts';
import { summarizeTable } from '../../../src/ddb/table-summary.ts';

describe('summarizeTable', () => {
  it('describes keys, indexes and capacity on one line', () => {
    const definition = messagesTableDefinition('cruddur-messages');
    const summary = summarizeTable({
      TableName: 'cruddur-messages',
      TableStatus: 'ACTIVE',
      AttributeDefinitions: definition.AttributeDefinitions,
      KeySchema: definition.KeySchema,
      GlobalSecondaryIndexes: definition.GlobalSecondaryIndexes?.map((gsi) => ({ ...gsi, IndexStatus: 'ACTIVE', ProvisionedThroughput: undefined })),
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    });
    expect(summary).toBe(
      'cruddur-messages ACTIVE: pk HASH S, sk RANGE S; GSI message-group-sk-index (message_group_uuid HASH S, sk RANGE S, ALL); PROVISIONED 5/5',
    );
  });

  it('shows on-demand billing', () => {
    expect(summarizeTable({ TableName: 't', TableStatus: 'ACTIVE', BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' } })).toBe('t ACTIVE: ; PAY_PER_REQUEST');
  });
});
