import type pg from 'pg';

/**
 * Splits a SQL script into statements the way psql does for plain SQL: at `;` outside quotes, dollar
 * quotes and comments. psql meta-commands (lines starting with a backslash) are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  const push = () => {
    const text = current.trim();
    if (text !== '') statements.push(text);
    current = '';
  };
  while (i < script.length) {
    const ch = script[i] as string;
    const next = script[i + 1];
    const atLineStart = current.trim() === '' && (i === 0 || script[i - 1] === '\n' || /^\s*$/.test(current));
    if (ch === '\\' && atLineStart) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    if (ch === '-' && next === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
      current += '\n';
      continue;
    }
    if (ch === '/' && next === '*') {
      let depth = 1;
      i += 2;
      while (i < script.length && depth > 0) {
        if (script[i] === '/' && script[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (script[i] === '*' && script[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      current += ' ';
      continue;
    }
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      while (j < script.length) {
        if (script[j] === ch && script[j + 1] === ch) j += 2;
        else if (script[j] === ch) break;
        else j++;
      }
      current += script.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '$') {
      const tag = script.slice(i).match(/^\$([A-Za-z_][A-Za-z0-9_]*)?\$/);
      if (tag) {
        const end = script.indexOf(tag[0], i + tag[0].length);
        const stop = end === -1 ? script.length : end + tag[0].length;
        current += script.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (ch === ';') {
      push();
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  push();
  return statements;
}

export interface StatementError {
  statement: string;
  message: string;
}

/**
 * Runs a script statement by statement with psql's default semantics, on the session it is given: a failing
 * statement is reported and the next one still runs (the course's own seed.sql has a stray `;`). `before` runs first.
 */
export async function runSqlScript(client: pg.Client, script: string, options: { before?: string } = {}): Promise<StatementError[]> {
  if (options.before) await client.query(options.before);
  const errors: StatementError[] = [];
  for (const statement of splitSqlStatements(script)) {
    try {
      await client.query(statement);
    } catch (error) {
      errors.push({ statement: statement.slice(0, 200), message: (error as Error).message });
    }
  }
  return errors;
}
