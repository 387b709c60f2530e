import { describe, expect, it } from 'vitest';
import { splitSqlStatements } from '../../../src/course/sql-script.ts';

describe('splitSqlStatements', () => {
  it('splits at semicolons and drops empty statements such as a stray ;', () => {
    expect(splitSqlStatements('CREATE TABLE a (x int);\n;\nINSERT INTO a VALUES (1);')).toEqual(['CREATE TABLE a (x int)', 'INSERT INTO a VALUES (1)']);
  });

  it('keeps semicolons inside quotes, identifiers and dollar quotes', () => {
    const script = `INSERT INTO t VALUES ('a;b', 'it''s; fine');\nSELECT "we;ird" FROM t;\nCREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql;\nDO $$ BEGIN PERFORM 1; END $$;`;
    expect(splitSqlStatements(script)).toEqual([
      "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
      'SELECT "we;ird" FROM t',
      'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; $body$ LANGUAGE sql',
      'DO $$ BEGIN PERFORM 1; END $$',
    ]);
  });

  it('ignores comments and psql meta-commands', () => {
    const script = `-- the users; table\n\\connect cruddur\n/* block; comment /* nested; */ */ SELECT 1; -- trailing;\nSELECT 2;`;
    expect(splitSqlStatements(script)).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('keeps a last statement without a semicolon', () => {
    expect(splitSqlStatements('SELECT 1;\nSELECT 2')).toEqual(['SELECT 1', 'SELECT 2']);
  });
});
