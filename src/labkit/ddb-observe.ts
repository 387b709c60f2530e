import {
  DescribeTableCommand,
  ListTablesCommand,
  ResourceNotFoundException,
  ScanCommand,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { listAllTableNames, scanPages } from '../course/paginate.ts';

export type Item = Record<string, unknown>;

/** The table's description, or undefined when it does not exist. */
export async function describeTable(client: DynamoDBClient, name: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: name }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

export async function listAllTables(client: DynamoDBClient): Promise<string[]> {
  return listAllTableNames((input) => client.send(new ListTablesCommand(input)));
}

/** Every item of a table, following LastEvaluatedKey; undefined when the table does not exist. */
export async function scanAll(client: DynamoDBClient, name: string): Promise<Item[] | undefined> {
  const items: Item[] = [];
  try {
    for await (const page of scanPages((input) => client.send(new ScanCommand(input)), { TableName: name })) items.push(...page.map((item) => unmarshall(item)));
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
  return items;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** Tables whose names look like a typo of `expected` (`cruddur-message`, `crudder-messages`, `cruddur_messages`). */
export function nearMisses(names: string[], expected: string): string[] {
  const fold = (s: string) => s.toLowerCase().replace(/[-_ .]/g, '');
  return names.filter((name) => name !== expected && (editDistance(name, expected) <= 3 || fold(name) === fold(expected)));
}

/** Whether `text` mentions `name` as a whole token (not as part of a longer table name). */
export function mentionsName(text: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^A-Za-z0-9_.-])${escaped}($|[^A-Za-z0-9_.-])`, 'm').test(text);
}
