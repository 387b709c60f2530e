import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { defineScript } from '../../../src/ddb/define-script.ts';
import { captureContext } from '../../../src/ddb/script-context.ts';
import { REFERENCE_SCRIPTS } from '../../../src/ddb/scripts.ts';
import { TYPESCRIPT_ARGS } from '../../../src/runner/node-args.ts';

// Each case fails before any request, so no service is needed: these check the messages, not DynamoDB.
const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

describe('reference scripts refuse bad invocations before touching any service', () => {
  it.each([
    ['drop', [], /No table name given\. Usage: drop TABLE_NAME \[prod\]/],
    ['drop', ['--table', 'x'], /Unknown option "--table"/],
    ['drop', ['ab'], /"ab" is not a valid DynamoDB table name/],
    ['schema-load', ['cruddur-messages'], /Unexpected argument "cruddur-messages"\. Usage: schema-load/],
    ['scan', ['--tabel', 'x'], /Unknown option "--tabel"/],
    ['list-tables', ['extra'], /Unexpected argument "extra"/],
    ['seed', [], /No Postgres URL: neither CONNECTION_URL nor DATABASE_URL is set/],
    ['get-conversation', ['5ae290ed'], /"5ae290ed" is not a message group uuid\. Usage: get-conversation \[GROUP_UUID\]/],
    ['get-conversation', ['5ae290ed-55d1-47a0-bc6d-fe2bc2700399', 'x'], /Too many arguments/],
    ['list-conversations', [], /No Postgres URL/],
    ['list-conversations', ['andrewbrown', 'bayko'], /give one handle\. Usage: list-conversations \[HANDLE\]/],
    ['group-messages', ['--index', 'x'], /Unknown option "--index"/],
  ] as const)('%s %j exits 1 with a usage message', async (name, args, message) => {
    const run = captureContext([...args], env);
    expect(await REFERENCE_SCRIPTS[name](run.ctx)).toBe(1);
    expect(run.stdout).toEqual([]);
    expect(run.stderr.join('\n')).toMatch(message);
  });

  it('refuses the same handle twice in seed', async () => {
    const run = captureContext([], { ...env, CONNECTION_URL: 'postgresql://127.0.0.1:9/x', SEED_MY_HANDLE: 'bayko' });
    expect(await REFERENCE_SCRIPTS.seed(run.ctx)).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/both "bayko"/);
  });

  it('asks for a region before using real AWS', async () => {
    const run = captureContext(['prod'], {});
    expect(await REFERENCE_SCRIPTS['list-tables'](run.ctx)).toBe(1);
    expect(run.stderr.join('\n')).toMatch(/selects real AWS, which needs a region: set AWS_REGION/);
  });
});

describe('defineScript', () => {
  it('turns a throw into exit code 1 and prints the cause chain', async () => {
    const script = defineScript('demo', async () => {
      throw new Error('outer', { cause: new TypeError('inner', { cause: new Error('root') }) });
    });
    const run = captureContext([], {});
    expect(await script(run.ctx)).toBe(1);
    expect(run.stderr).toEqual(['demo: outer', '  caused by: TypeError: inner', '  caused by: root']);
  });

  it('passes exit codes through and maps a plain return to 0', async () => {
    expect(await defineScript('a', async () => 3)(captureContext([], {}).ctx)).toBe(3);
    expect(await defineScript('b', async () => {})(captureContext([], {}).ctx)).toBe(0);
  });
});

describe('cli', () => {
  // A fresh process loads every script it imports: seconds on a loaded machine.
  it('lists the valid scripts for an unknown name', { timeout: 30_000 }, () => {
    const result = spawnSync(process.execPath, [...TYPESCRIPT_ARGS, 'src/ddb/cli.ts', 'toString'], { encoding: 'utf8', timeout: 30_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Unknown script "toString"\. Usage: npm run ddb:<script> -- \[args\] \(db-setup: npm run db:setup\)/);
    expect(result.stderr).toMatch(/Scripts: schema-load, seed, scan, list-tables, drop, get-conversation, list-conversations, group-messages, db-setup/);
  });
});
