import { describe, expect, it } from 'vitest';
import { PostgresConnectError, withClient } from '../../../src/services/pg-client.ts';

describe('withClient', () => {
  it('tells a connection that failed from work that failed, with the driver error as cause', async () => {
    let worked = false;
    const failure = await withClient('postgresql://postgres:password@127.0.0.1:9/cruddur', async () => {
      worked = true;
    }, { connectTimeoutMs: 2_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PostgresConnectError);
    expect((failure as Error).message).toBe(((failure as Error).cause as Error).message);
    expect(worked).toBe(false);
  });
});
