import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The course's single DynamoDB table: the conversations of direct messages. */
export const MESSAGES_TABLE = 'cruddur-messages';

/** The GSI of the course's final schema: a group's messages by time, whoever's key they sit under. */
export const MESSAGE_GROUP_INDEX = 'message-group-sk-index';

/** Read and write capacity the course provisions, for the table and its index alike. */
export const COURSE_CAPACITY = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } as const;

/**
 * CreateTable input of the course's final `cruddur-messages` schema. Every attribute a key or index uses
 * must be in AttributeDefinitions: a GSI on `message_group_uuid` without it is a learner mistake that makes
 * CreateTable fail.
 */
export function messagesTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'message_group_uuid', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: MESSAGE_GROUP_INDEX,
        KeySchema: [
          { AttributeName: 'message_group_uuid', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
        ProvisionedThroughput: { ...COURSE_CAPACITY },
      },
    ],
    BillingMode: 'PROVISIONED',
    ProvisionedThroughput: { ...COURSE_CAPACITY },
  };
}
