import type {
  AttributeValue,
  ListTablesCommandInput,
  ListTablesCommandOutput,
  QueryCommandInput,
  QueryCommandOutput,
  ScanCommandInput,
  ScanCommandOutput,
} from '@aws-sdk/client-dynamodb';

/** Sends one Scan request; `client.send(new ScanCommand(input))` in the scripts. */
export type ScanSend = (input: ScanCommandInput) => Promise<Pick<ScanCommandOutput, 'Items' | 'LastEvaluatedKey'>>;

/** Sends one Query request; `client.send(new QueryCommand(input))` in the scripts. */
export type QuerySend = (input: QueryCommandInput) => Promise<Pick<QueryCommandOutput, 'Items' | 'LastEvaluatedKey'>>;

/** Sends one ListTables request; `client.send(new ListTablesCommand(input))` in the scripts. */
export type ListTablesSend = (input: ListTablesCommandInput) => Promise<Pick<ListTablesCommandOutput, 'TableNames' | 'LastEvaluatedTableName'>>;

/**
 * Items a Scan page asks for when the caller names no Limit. DynamoDB Local (3.3) reads every item after a page's
 * ExclusiveStartKey unless a Limit bounds the page, so a paged scan of n items in p pages costs it about n x p / 2
 * item reads: 10,000 items of 1.6 KB (18 pages) took 3.8 s of its CPU, and 1.2 s with this Limit. On AWS a Limit
 * only caps a page, which still ends at 1 MB; items under 1 KB take more, smaller pages.
 */
export const SCAN_PAGE_ITEMS = 1_000;

/**
 * Yields the items of a Scan page by page. A Scan returns at most 1 MB per call and says where to go on in
 * LastEvaluatedKey; a scan that stops after the first call misses items once the table outgrows one page
 * (the mistake every learner's scan made).
 */
export async function* scanPages(send: ScanSend, input: ScanCommandInput): AsyncGenerator<Array<Record<string, AttributeValue>>> {
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await send({ Limit: SCAN_PAGE_ITEMS, ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
}

/**
 * Every item a Query matches, following LastEvaluatedKey (a Query, too, returns at most 1 MB per call).
 * Not for queries with a Limit that means "one page only", such as get-conversation's newest 20.
 */
export async function queryAll(send: QuerySend, input: QueryCommandInput): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await send({ ...input, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/**
 * Every table name, following LastEvaluatedTableName (ListTables returns at most 100 names per call).
 * `pageSize` sets ListTables' Limit; only tests need it.
 */
export async function listAllTableNames(send: ListTablesSend, pageSize?: number): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await send({ ...(pageSize ? { Limit: pageSize } : {}), ...(start ? { ExclusiveStartTableName: start } : {}) });
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
}
