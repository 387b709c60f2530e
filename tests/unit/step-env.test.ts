import { describe, expect, it } from 'vitest';
import { learnerEnv } from '../../src/submission/step-env.ts';
import { tempDir } from '../grader/fixtures.ts';

describe('learnerEnv', () => {
  const base = {
    PATH: '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    GH_TOKEN: 'ghp_secret',
    GITHUB_TOKEN: 'ghs_secret',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
    AWS_SECRET_ACCESS_KEY: 'real-secret',
    AWS_PROFILE: 'prod',
    LAB_POSTGRES_URL: 'postgresql://admin:pw@db/x',
    HTTPS_PROXY: 'http://corp-proxy:3128',
  };
  const env = learnerEnv({ dynamodbEndpoint: 'http://localhost:8000', postgresUrl: 'postgresql://postgres:password@localhost:5432/cruddur' }, { cacheDir: tempDir('step-env-test-'), base });

  it("passes on none of the grader's secrets or settings", () => {
    for (const key of ['GH_TOKEN', 'GITHUB_TOKEN', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', 'AWS_PROFILE', 'LAB_POSTGRES_URL']) expect(env[key], key).toBeUndefined();
    expect(JSON.stringify(env)).not.toMatch(/secret|oidc|corp-proxy|admin:pw/);
  });

  it('gives the course its services, fake credentials and a closed proxy, and keeps the locale', () => {
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://localhost:8000',
      AWS_SECRET_ACCESS_KEY: 'cruddurlabs',
      CONNECTION_URL: 'postgresql://postgres:password@localhost:5432/cruddur',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      LANG: 'C.UTF-8',
    });
    expect(env.PATH).toMatch(/\/usr\/bin:\/bin$/);
  });
});
