import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { localDynamoClient } from '../../src/services/dynamo-client.ts';
import { probeDynamoDb } from '../../src/services/probes.ts';
import { javaVersion, startEmbeddedDynamoDb } from '../../src/services/embedded/dynamodb-local.ts';
import { findDynamoDbLocalJar, prestartDynamoDbLocal, takePrestarted } from '../../src/services/embedded/dynamodb-process.ts';

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

const jar = findDynamoDbLocalJar();
const java = javaVersion('java') ? 'java' : undefined;

describe.skipIf(!jar || !java)('DynamoDB Local started before the worker loads', () => {
  it('is adopted by the embedded backend on the same port, and stopped with it', async () => {
    const port = await freePort();
    prestartDynamoDbLocal('java', port, undefined);
    const started = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port, timeoutMs: 60_000 });
    try {
      expect(started.facts).toMatchObject({ endpoint: `http://127.0.0.1:${port}`, port });
      // The readiness probe's own ListTables (signed over plain HTTP) against the real service: a table the SDK made.
      const client = localDynamoClient(started.facts.endpoint);
      await client.send(new CreateTableCommand({ TableName: 'probe-check', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
      client.destroy();
      expect(await probeDynamoDb(started.facts.endpoint)).toContain('probe-check');
      expect(started.facts.version).not.toBe('unknown');
      // Adopted: nothing is left to take.
      expect(takePrestarted('java', port)).toBeUndefined();
    } finally {
      await started.stop();
    }
    const open = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    expect(open).toBe(false);
  }, 90_000);

  it('keeps the SQLite library DynamoDB Local copies at start in a folder of its own, removed when it stops', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'dynamodb-tmp-test-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const started = await startEmbeddedDynamoDb({ java: 'java', jar: jar as string, port: await freePort(), timeoutMs: 60_000 });
      try {
        const [own, ...more] = readdirSync(tmp);
        expect(more).toEqual([]);
        expect(own).toMatch(/^cruddur-labs-jvm-/);
        // The JVM's temporary folder (not /tmp) holds the library while it runs.
        expect(readdirSync(path.join(tmp, own as string)).some((name) => name.endsWith('libsqlite4java.so'))).toBe(true);
      } finally {
        await started.stop();
      }
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 90_000);

  it('is not adopted for another port: it is ended and the backend starts its own', async () => {
    const [first, second] = [await freePort(), await freePort()];
    prestartDynamoDbLocal('java', first, undefined);
    expect(takePrestarted('java', second)).toBeUndefined();
    expect(takePrestarted('java', first)).toBeUndefined();
  }, 30_000);
});
