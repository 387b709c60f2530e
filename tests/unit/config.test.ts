import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { IMAGES } from '../../src/config/versions.ts';
import { ConfigError } from '../../src/errors.ts';

describe('loadConfig', () => {
  it('defaults to auto, random ports, the pinned images and the reference solution', () => {
    const config = loadConfig({}, '/project');
    expect(config.backend).toBe('auto');
    expect(config.dynamodbPort).toBeUndefined();
    expect(config.postgresPort).toBeUndefined();
    expect(config.dynamodbImage).toBe(IMAGES.dynamodb);
    expect(config.postgresImage).toBe(IMAGES.postgres);
    expect(config.submission).toBe('reference');
    expect(config.resultsDir).toBe(path.resolve('/project', 'reports'));
    expect(config.external.allowReset).toBe(false);
  });

  it('reads LAB_FAULT only in its two forms', () => {
    expect(loadConfig({}).fault).toBeUndefined();
    expect(loadConfig({ LAB_FAULT: '03-seed:once' }).fault).toEqual({ lab: '03-seed', times: 'once' });
    expect(loadConfig({ LAB_FAULT: ' 07-access-patterns:always ' }).fault).toEqual({ lab: '07-access-patterns', times: 'always' });
    expect(() => loadConfig({ LAB_FAULT: '03-seed:sometimes' })).toThrow(/not `<lab id>:once` or `<lab id>:always`/);
  });

  it('reads LAB_LEARNER_CONTAINERS as auto or never', () => {
    expect(loadConfig({}).learnerContainers).toBe('auto');
    expect(loadConfig({ LAB_LEARNER_CONTAINERS: ' Never ' }).learnerContainers).toBe('never');
    expect(() => loadConfig({ LAB_LEARNER_CONTAINERS: 'always' })).toThrow(/LAB_LEARNER_CONTAINERS="always" is not auto or never/);
  });

  it('lists the valid backends when LAB_BACKEND is unknown', () => {
    expect(() => loadConfig({ LAB_BACKEND: 'docker' })).toThrow(ConfigError);
    expect(() => loadConfig({ LAB_BACKEND: 'docker' })).toThrow(/auto, containers, embedded, external/);
  });

  it('accepts each backend, case-insensitively', () => {
    for (const backend of ['auto', 'containers', 'embedded', 'external']) {
      expect(loadConfig({ LAB_BACKEND: backend.toUpperCase() }).backend).toBe(backend);
    }
  });

  it('gives port 8000 to DynamoDB when grading a repository, since learner scripts hard-code it', () => {
    expect(loadConfig({ LAB_SUBMISSION: 'learners/alice' }, '/p').dynamodbPort).toBe(8000);
    expect(loadConfig({ LAB_SUBMISSION: 'learners/alice', LAB_DYNAMODB_PORT: '8100' }, '/p').dynamodbPort).toBe(8100);
    expect(loadConfig({ LAB_SUBMISSION: 'learners/alice' }, '/p').submission).toBe('/p/learners/alice');
  });

  it('rejects ports and timeouts that are not whole numbers in range, naming the variable', () => {
    expect(() => loadConfig({ LAB_DYNAMODB_PORT: 'eight' })).toThrow(/LAB_DYNAMODB_PORT="eight" is not a whole number/);
    expect(() => loadConfig({ LAB_POSTGRES_PORT: '70000' })).toThrow(/LAB_POSTGRES_PORT=70000 is out of range/);
    expect(() => loadConfig({ LAB_STEP_TIMEOUT_MS: '10' })).toThrow(/LAB_STEP_TIMEOUT_MS/);
  });

  it('reads image overrides and yes/no values', () => {
    const config = loadConfig({ LAB_DYNAMODB_IMAGE: 'local/ddb:1', LAB_POSTGRES_IMAGE: 'local/pg:1', LAB_ALLOW_RESET: 'yes' });
    expect(config.dynamodbImage).toBe('local/ddb:1');
    expect(config.postgresImage).toBe('local/pg:1');
    expect(config.external.allowReset).toBe(true);
    expect(() => loadConfig({ LAB_ALLOW_RESET: 'maybe' })).toThrow(/LAB_ALLOW_RESET="maybe" is not a yes\/no value/);
  });
});
