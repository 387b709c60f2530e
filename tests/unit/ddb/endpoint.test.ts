import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { DEFAULT_LOCAL_ENDPOINT, describeTarget, redactUrl, resolveDynamoTarget, resolvePostgresUrl } from '../../../src/ddb/endpoint.ts';

describe('resolveDynamoTarget', () => {
  it('falls back to the course default http://localhost:8000', () => {
    expect(resolveDynamoTarget([], {})).toEqual({ kind: 'local', endpoint: DEFAULT_LOCAL_ENDPOINT, source: 'default' });
    expect(DEFAULT_LOCAL_ENDPOINT).toBe('http://localhost:8000');
  });

  it('prefers AWS_ENDPOINT_URL_DYNAMODB over AWS_ENDPOINT_URL', () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9001', AWS_ENDPOINT_URL: 'http://127.0.0.1:9002' };
    expect(resolveDynamoTarget([], env)).toEqual({ kind: 'local', endpoint: 'http://127.0.0.1:9001', source: 'AWS_ENDPOINT_URL_DYNAMODB' });
  });

  it('uses AWS_ENDPOINT_URL when the service-specific variable is unset or blank', () => {
    expect(resolveDynamoTarget([], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9002' })).toMatchObject({ source: 'AWS_ENDPOINT_URL' });
    expect(resolveDynamoTarget([], { AWS_ENDPOINT_URL_DYNAMODB: '  ', AWS_ENDPOINT_URL: 'http://127.0.0.1:9002' })).toMatchObject({
      endpoint: 'http://127.0.0.1:9002',
    });
  });

  it('selects real AWS only when a mode argument contains "prod", whatever the environment says', () => {
    const env = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9001' };
    expect(resolveDynamoTarget(['prod'], env)).toMatchObject({ kind: 'aws' });
    expect(resolveDynamoTarget(['my-prod-run'], env)).toMatchObject({ kind: 'aws' });
    expect(resolveDynamoTarget(['staging'], env)).toMatchObject({ kind: 'local' });
    expect(resolveDynamoTarget(['PROD'], env)).toMatchObject({ kind: 'local' });
  });

  it('refuses an endpoint that is not an http(s) URL, naming the variable', () => {
    expect(() => resolveDynamoTarget([], { AWS_ENDPOINT_URL: 'localhost:8000' })).toThrow(ConfigError);
    expect(() => resolveDynamoTarget([], { AWS_ENDPOINT_URL: 'not a url' })).toThrow(/AWS_ENDPOINT_URL="not a url" is not a URL/);
  });

  it('describes where a script goes', () => {
    expect(describeTarget(resolveDynamoTarget([], {}))).toBe('DynamoDB at http://localhost:8000 (course default)');
    expect(describeTarget(resolveDynamoTarget(['prod'], {}))).toMatch(/^real AWS DynamoDB/);
  });
});

describe('resolvePostgresUrl', () => {
  it('prefers CONNECTION_URL over DATABASE_URL', () => {
    expect(resolvePostgresUrl({ CONNECTION_URL: 'postgresql://a/x', DATABASE_URL: 'postgresql://b/y' })).toBe('postgresql://a/x');
    expect(resolvePostgresUrl({ DATABASE_URL: 'postgresql://b/y' })).toBe('postgresql://b/y');
  });

  it('says which variables to set when neither is', () => {
    expect(() => resolvePostgresUrl({ CONNECTION_URL: '' })).toThrow(ConfigError);
    expect(() => resolvePostgresUrl({})).toThrow(/Set CONNECTION_URL, e\.g\. CONNECTION_URL=postgresql:/);
  });
});

describe('redactUrl', () => {
  it('hides the password only', () => {
    expect(redactUrl('postgresql://postgres:password@localhost:5432/cruddur')).toBe('postgresql://postgres:***@localhost:5432/cruddur');
    expect(redactUrl('postgresql://localhost/cruddur')).toBe('postgresql://localhost/cruddur');
    expect(redactUrl('host=localhost')).toBe('host=localhost');
  });
});
