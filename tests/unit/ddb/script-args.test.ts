import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLE, modeArgs, parseScriptArgs, UsageError } from '../../../src/ddb/script-args.ts';

const USAGE = 'x [prod] [--table NAME]';

describe('parseScriptArgs', () => {
  it('defaults to cruddur-messages and keeps positional arguments', () => {
    expect(parseScriptArgs(['prod'], USAGE)).toEqual({ table: DEFAULT_TABLE, positional: ['prod'] });
    expect(DEFAULT_TABLE).toBe('cruddur-messages');
  });

  it('reads --table NAME and --table=NAME', () => {
    expect(parseScriptArgs(['--table', 'abc'], USAGE).table).toBe('abc');
    expect(parseScriptArgs(['--table=abc.d_e-f'], USAGE).table).toBe('abc.d_e-f');
  });

  it('does not treat a table name as a mode argument', () => {
    expect(parseScriptArgs(['--table', 'products'], USAGE).positional).toEqual([]);
  });

  it('refuses a missing or invalid table name and unknown options, with the usage', () => {
    expect(() => parseScriptArgs(['--table'], USAGE)).toThrow(UsageError);
    expect(() => parseScriptArgs(['--table', '--other'], USAGE)).toThrow(/--table needs a table name/);
    expect(() => parseScriptArgs(['--table', 'a b'], USAGE)).toThrow(/not a valid DynamoDB table name/);
    expect(() => parseScriptArgs(['--tabel', 'x'], USAGE)).toThrow(/Unknown option "--tabel"\. Usage: x \[prod\]/);
  });

  it('treats --table as unknown where a script takes no table option', () => {
    expect(() => parseScriptArgs(['--table', 'x'], USAGE, { tableOption: false })).toThrow(/Unknown option "--table"/);
  });
});

describe('modeArgs', () => {
  it('accepts prod-like arguments and refuses anything else', () => {
    expect(modeArgs(['prod'], USAGE)).toEqual(['prod']);
    expect(() => modeArgs(['cruddur-messages'], USAGE)).toThrow(/Unexpected argument "cruddur-messages"/);
  });
});
