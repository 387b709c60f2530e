import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { assertLocalUrl, isLocalHost } from '../../src/services/external/local-only.ts';

describe('local-only endpoints', () => {
  it('accepts loopback names and addresses', () => {
    for (const host of ['localhost', '127.0.0.1', '127.4.5.6', '::1', '[::1]', 'dynamodb.localhost']) expect(isLocalHost(host)).toBe(true);
  });

  it('refuses everything else, including private addresses and AWS', () => {
    for (const host of ['dynamodb.us-east-1.amazonaws.com', '10.0.0.5', '192.168.1.2', 'db', '0.0.0.0', '128.0.0.1']) expect(isLocalHost(host)).toBe(false);
  });

  it('explains a refused endpoint and names the variable', () => {
    expect(() => assertLocalUrl('https://dynamodb.us-east-1.amazonaws.com', 'LAB_DYNAMODB_ENDPOINT', ['http:', 'https:'])).toThrow(ConfigError);
    expect(() => assertLocalUrl('https://dynamodb.us-east-1.amazonaws.com', 'LAB_DYNAMODB_ENDPOINT', ['http:', 'https:'])).toThrow(/not this machine/);
    expect(() => assertLocalUrl('postgresql://postgres:password@db:5432/cruddur', 'LAB_POSTGRES_URL', ['postgresql:'])).toThrow(/LAB_POSTGRES_URL points at db/);
    expect(() => assertLocalUrl('not a url', 'LAB_DYNAMODB_ENDPOINT', ['http:'])).toThrow(/is not a URL/);
    expect(assertLocalUrl('http://localhost:8000', 'X', ['http:']).port).toBe('8000');
  });
});
