import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { FAKE_AWS } from '../config/versions.ts';

export interface SignedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/**
 * Signature Version 4 of `request` (its headers are lower-case; host and x-amz-date are set here): the
 * Authorization header AWS's SDKs send. Unit-tested against AWS's own Signature Version 4 test suite.
 */
export function signV4(request: SignedRequest, credentials: { accessKeyId: string; secretAccessKey: string }, region: string, service: string, now: Date): Record<string, string> {
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = { ...request.headers, host: request.url.host, 'x-amz-date': amzDate };
  const names = Object.keys(headers).sort();
  const canonical = [
    request.method,
    request.url.pathname || '/',
    request.url.searchParams.toString(),
    names.map((name) => `${name}:${String(headers[name]).trim()}\n`).join(''),
    names.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${day}/${region}/${service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), service), 'aws4_request');
  const signature = hmac(key, toSign).toString('hex');
  return { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

/**
 * DynamoDB's ListTables at a local `endpoint`, signed as the SDK signs it (with the suite's fake credentials, which
 * can never sign for real AWS), over Node's own HTTP: the services' readiness and health checks make a real call
 * without loading the AWS SDK (0.23 CPU s to import) in the processes that need nothing else of it.
 */
export function listTablesOverHttp(endpoint: string, timeoutMs: number): Promise<string[]> {
  const url = new URL(endpoint);
  const request: SignedRequest = { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.ListTables' }, body: '{}' };
  const headers = signV4(request, FAKE_AWS, FAKE_AWS.region, 'dynamodb', new Date());
  const send = url.protocol === 'https:' ? https.request : http.request;
  return new Promise<string[]>((resolve, reject) => {
    const outgoing = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(request.body)) }, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: { TableNames?: unknown; message?: unknown; Message?: unknown; __type?: unknown } = {};
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          // not JSON: told below
        }
        if (response.statusCode === 200 && Array.isArray(parsed.TableNames)) {
          resolve(parsed.TableNames.map(String));
          return;
        }
        const said = parsed.message ?? parsed.Message ?? parsed.__type ?? text.slice(0, 200);
        reject(new Error(`ListTables answered HTTP ${response.statusCode ?? '?'}: ${String(said)}`));
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer to ListTables within ${timeoutMs} ms`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
