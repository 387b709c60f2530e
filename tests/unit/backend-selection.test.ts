import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.ts';
import { ServiceError } from '../../src/errors.ts';
import { backendOrder, startServices } from '../../src/services/start-services.ts';
import type { BackendName, BackendStrategy, StrategyOutcome } from '../../src/services/types.ts';

const facts = {
  dynamodb: { endpoint: 'http://127.0.0.1:1', port: 1, version: 'x' },
  postgres: { url: 'postgresql://u:p@127.0.0.1:2/cruddur', host: '127.0.0.1', port: 2, user: 'u', password: 'p', database: 'cruddur', version: 'y' },
};

function strategy(name: BackendName, outcome: StrategyOutcome | Error, calls: string[]): BackendStrategy {
  return {
    name,
    async start() {
      calls.push(name);
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  };
}

const started = (): StrategyOutcome => ({
  kind: 'started',
  dynamodb: { facts: facts.dynamodb, stop: async () => {} },
  postgres: { facts: facts.postgres, stop: async () => {} },
});

describe('backend order', () => {
  it('tries containers then embedded under auto, external first only when configured', () => {
    expect(backendOrder('auto', loadConfig({}))).toEqual(['containers', 'embedded']);
    expect(backendOrder('auto', loadConfig({ LAB_DYNAMODB_ENDPOINT: 'http://localhost:8000' }))).toEqual(['external', 'containers', 'embedded']);
    expect(backendOrder('embedded', loadConfig({}))).toEqual(['embedded']);
  });
});

describe('startServices', () => {
  it('falls back to embedded when containers decline, and records why', async () => {
    const calls: string[] = [];
    const running = await startServices(loadConfig({}), undefined, {
      containers: strategy('containers', { kind: 'declined', reason: 'image amazon/dynamodb-local:3.3.0 is missing' }, calls),
      embedded: strategy('embedded', started(), calls),
      external: strategy('external', { kind: 'declined', reason: 'unused' }, calls),
    });
    expect(calls).toEqual(['containers', 'embedded']);
    expect(running.facts.backend).toBe('embedded');
    expect(running.facts.owned).toBe(true);
    expect(running.facts.passedOver).toEqual([{ backend: 'containers', reason: 'image amazon/dynamodb-local:3.3.0 is missing' }]);
  });

  it('falls back under auto when the engine breaks mid-start, but not when containers were asked for', async () => {
    const calls: string[] = [];
    const broken = new Error('engine hung up');
    const strategies = {
      containers: strategy('containers', broken, calls),
      embedded: strategy('embedded', started(), calls),
      external: strategy('external', { kind: 'declined', reason: 'unused' }, calls),
    };
    expect((await startServices(loadConfig({}), undefined, strategies)).facts.backend).toBe('embedded');
    await expect(startServices(loadConfig({ LAB_BACKEND: 'containers' }), undefined, strategies)).rejects.toBe(broken);
  });

  it('fails with the missing image under LAB_BACKEND=containers instead of falling back', async () => {
    const calls: string[] = [];
    const promise = startServices(loadConfig({ LAB_BACKEND: 'containers' }), undefined, {
      containers: strategy('containers', { kind: 'declined', reason: 'image postgres:15.14 is missing' }, calls),
      embedded: strategy('embedded', started(), calls),
      external: strategy('external', started(), calls),
    });
    await expect(promise).rejects.toThrow(/LAB_BACKEND=containers cannot run here: image postgres:15.14 is missing/);
    expect(calls).toEqual(['containers']);
  });

  it('says what to install for either backend when all decline', async () => {
    const calls: string[] = [];
    const promise = startServices(loadConfig({}), undefined, {
      containers: strategy('containers', { kind: 'declined', reason: 'no Docker engine answered' }, calls),
      embedded: strategy('embedded', { kind: 'declined', reason: 'no Java found' }, calls),
      external: strategy('external', started(), calls),
    });
    await expect(promise).rejects.toThrow(ServiceError);
    await expect(promise).rejects.toThrow(/docker\.io.*openjdk-17-jre-headless/s);
  });

  it('marks external services as not owned unless resets are allowed', async () => {
    const calls: string[] = [];
    const strategies = {
      containers: strategy('containers', started(), calls),
      embedded: strategy('embedded', started(), calls),
      external: strategy('external', started(), calls),
    };
    expect((await startServices(loadConfig({ LAB_BACKEND: 'external' }), undefined, strategies)).facts.owned).toBe(false);
    expect((await startServices(loadConfig({ LAB_BACKEND: 'external', LAB_ALLOW_RESET: 'true' }), undefined, strategies)).facts.owned).toBe(true);
  });
});
