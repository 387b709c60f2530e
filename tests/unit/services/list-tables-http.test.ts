import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listTablesOverHttp, signV4 } from '../../../src/services/list-tables-http.ts';

// AWS's Signature Version 4 test suite: get-vanilla and post-vanilla (example credentials, 2015-08-30T12:36:00Z).
const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const WHEN = new Date('2015-08-30T12:36:00Z');

describe('Signature Version 4', () => {
  it("signs the test suite's vanilla GET and POST as AWS documents them", () => {
    const sign = (method: string) => signV4({ method, url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' }, EXAMPLE, 'us-east-1', 'service', WHEN);
    expect(sign('GET')).toEqual({
      host: 'example.amazonaws.com',
      'x-amz-date': '20150830T123600Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    });
    expect(sign('POST').authorization).toMatch(/Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b$/);
  });

  it('signs every header it sends, and a changed body changes the signature', () => {
    const request = { method: 'POST', url: new URL('http://127.0.0.1:8000/'), headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' };
    const signed = signV4(request, EXAMPLE, 'us-east-1', 'dynamodb', WHEN);
    expect(signed.authorization).toContain('SignedHeaders=content-type;host;x-amz-date;x-amz-target,');
    expect(signed.host).toBe('127.0.0.1:8000');
    expect(signV4({ ...request, body: '{"Limit":1}' }, EXAMPLE, 'us-east-1', 'dynamodb', WHEN).authorization).not.toBe(signed.authorization);
  });
});

describe('ListTables over HTTP, as the services are probed', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  const serve = (handler: http.RequestListener): Promise<string> =>
    new Promise((resolve) => {
      server = http.createServer(handler);
      server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server?.address() as AddressInfo).port}`));
    });

  it("sends DynamoDB's ListTables, signed, and returns the table names", async () => {
    let seen: http.IncomingHttpHeaders = {};
    const endpoint = await serve((request, response) => {
      seen = request.headers;
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"TableNames":["cruddur-messages"]}');
    });
    expect(await listTablesOverHttp(endpoint, 2_000)).toEqual(['cruddur-messages']);
    expect(seen['x-amz-target']).toBe('DynamoDB_20120810.ListTables');
    expect(seen.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=cruddurlabs\/\d{8}\/us-east-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
  });

  it('fails with what the service said, with no answer in time, and when nothing listens', async () => {
    const refused = await serve((_request, response) => response.writeHead(400).end('{"__type":"com.amazonaws.dynamodb.v20120810#UnrecognizedClientException","message":"The security token included in the request is invalid."}'));
    await expect(listTablesOverHttp(refused, 2_000)).rejects.toThrow('ListTables answered HTTP 400: The security token included in the request is invalid.');
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const silent = await serve(() => {});
    await expect(listTablesOverHttp(silent, 300)).rejects.toThrow('no answer to ListTables within 300 ms');
    server?.closeAllConnections();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    server = undefined;
    await expect(listTablesOverHttp(silent, 2_000)).rejects.toThrow(/ECONNREFUSED/);
  });
});
