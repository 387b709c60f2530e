import type { ListTablesCommandInput, QueryCommandInput, ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { listAllTableNames, queryAll, SCAN_PAGE_ITEMS, scanPages, type ListTablesSend, type QuerySend, type ScanSend } from '../../../src/course/paginate.ts';

describe('scanPages', () => {
  it('follows LastEvaluatedKey until a page has none', async () => {
    const inputs: ScanCommandInput[] = [];
    const pages = [
      { Items: [{ pk: { S: 'a' } }, { pk: { S: 'b' } }], LastEvaluatedKey: { pk: { S: 'b' } } },
      { Items: [], LastEvaluatedKey: { pk: { S: 'b2' } } },
      { Items: [{ pk: { S: 'c' } }] },
    ];
    const send: ScanSend = async (input) => {
      inputs.push(input);
      return pages[inputs.length - 1] ?? {};
    };
    const seen: string[] = [];
    for await (const page of scanPages(send, { TableName: 't' })) seen.push(...page.map((item) => item.pk?.S ?? '?'));
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(inputs.map((input) => input.ExclusiveStartKey?.pk?.S)).toEqual([undefined, 'b', 'b2']);
    expect(inputs.every((input) => input.TableName === 't')).toBe(true);
    expect(inputs.every((input) => input.Limit === SCAN_PAGE_ITEMS)).toBe(true);
  });

  it("keeps the caller's own Limit", async () => {
    const inputs: ScanCommandInput[] = [];
    const send: ScanSend = async (input) => {
      inputs.push(input);
      return { Items: [] };
    };
    for await (const page of scanPages(send, { TableName: 't', Limit: 5 })) expect(page).toEqual([]);
    expect(inputs.map((input) => input.Limit)).toEqual([5]);
  });
});

describe('queryAll', () => {
  it('follows LastEvaluatedKey and keeps the query', async () => {
    const inputs: QueryCommandInput[] = [];
    const send: QuerySend = async (input) => {
      inputs.push(input);
      return inputs.length === 1 ? { Items: [{ pk: { S: 'a' } }], LastEvaluatedKey: { pk: { S: 'a' } } } : { Items: [{ pk: { S: 'b' } }] };
    };
    const items = await queryAll(send, { TableName: 't', KeyConditionExpression: 'pk = :p' });
    expect(items.map((item) => item.pk?.S)).toEqual(['a', 'b']);
    expect(inputs.map((input) => [input.KeyConditionExpression, input.ExclusiveStartKey?.pk?.S])).toEqual([
      ['pk = :p', undefined],
      ['pk = :p', 'a'],
    ]);
  });
});

describe('listAllTableNames', () => {
  it('follows LastEvaluatedTableName and passes the page size', async () => {
    const inputs: ListTablesCommandInput[] = [];
    const send: ListTablesSend = async (input) => {
      inputs.push(input);
      return inputs.length === 1 ? { TableNames: ['a', 'b'], LastEvaluatedTableName: 'b' } : { TableNames: ['c'] };
    };
    expect(await listAllTableNames(send, 2)).toEqual(['a', 'b', 'c']);
    expect(inputs).toEqual([{ Limit: 2 }, { Limit: 2, ExclusiveStartTableName: 'b' }]);
  });
});
