import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionConvention, findDatabaseFiles } from '../../../src/submission/database-conventions.ts';
import { postgresVariables } from '../../../src/submission/step-env.ts';

const roots: string[] = [];
function repo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'db-conventions-'));
  roots.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const COURSE_DB = 'class Db:\n  def init_pool(self):\n    connection_url = os.getenv("CONNECTION_URL")\n    self.pool = ConnectionPool(connection_url)\n';

describe('how a repository names its Postgres URL', () => {
  it("keeps the course's form when the code uses CONNECTION_URL as it is", () => {
    expect(connectionConvention(repo({ 'backend-flask/lib/db.py': COURSE_DB }))).toEqual({ form: 'database' });
  });

  it.each([
    ['an f-string', 'backend-flask/lib/db.py', '    self.pool = ConnectionPool(f"{os.getenv(\'CONNECTION_URL\')}/{os.getenv(\'DB_NAME\')}")\n'],
    ['a variable in an f-string', 'backend-flask/lib/db.py', '    url = os.getenv("CONNECTION_URL")\n    self.pool = ConnectionPool(f"{url}/{db}")\n    # CONNECTION_URL + db\n    connection_url = f"{connection_url}/{db_name}"\n'],
    ['concatenation', 'backend-flask/lib/db.py', '    url = os.environ["CONNECTION_URL"] + "/" + DB_NAME\n'],
    ['a shell script', 'backend-flask/bin/db/connect', 'psql "$CONNECTION_URL/$DB_NAME"\n'],
    ['a compose setting without a database', 'docker-compose.yml', 'services:\n  backend-flask:\n    environment:\n      CONNECTION_URL: "postgresql://postgres:password@db:5432"\n'],
  ])('reads a server-only CONNECTION_URL from %s', (_, file, text) => {
    const convention = connectionConvention(repo({ [file]: text }));
    expect(convention.form).toBe('server');
    expect(convention.where).toMatch(new RegExp(`^${file.replaceAll('.', '\\.')}:\\d+$`));
  });

  it('ignores commented lines and what is said of the production URL', () => {
    const root = repo({
      'backend-flask/lib/db.py': `# old: f"{CONNECTION_URL}/{DB_NAME}"\n${COURSE_DB}`,
      'backend-flask/bin/db/connect': 'URL="$PROD_CONNECTION_URL/$DB_NAME"\n',
      'docker-compose.yml': 'CONNECTION_URL: "postgresql://postgres:password@db:5432/cruddur"\n',
    });
    expect(connectionConvention(root)).toEqual({ form: 'database' });
  });
});

describe('the variables a step gets', () => {
  const url = 'postgresql://postgres:password@127.0.0.1:5432/cruddur';
  it('gives the full URL, the database name and LOCAL_CONNECTION_URL in the course form', () => {
    expect(postgresVariables(url, { form: 'database' })).toEqual({ CONNECTION_URL: url, DATABASE_URL: url, LOCAL_CONNECTION_URL: url, DB_NAME: 'cruddur' });
  });
  it('gives CONNECTION_URL without the database to code that appends it, and never a PROD variable', () => {
    const vars = postgresVariables(url, { form: 'server' });
    expect(vars.CONNECTION_URL).toBe('postgresql://postgres:password@127.0.0.1:5432');
    expect(`${vars.CONNECTION_URL}/${vars.DB_NAME}`).toBe(url);
    expect(Object.keys(vars).filter((k) => k.includes('PROD'))).toEqual([]);
  });
});

describe("finding the repository's schema.sql and seed.sql", () => {
  it("uses the course's backend-flask/db", () => {
    const root = repo({ 'backend-flask/db/schema.sql': 'x', 'backend-flask/db/seed.sql': 'y' });
    expect(findDatabaseFiles(root)).toEqual({
      schemaFile: path.join(root, 'backend-flask/db/schema.sql'),
      seedFile: path.join(root, 'backend-flask/db/seed.sql'),
      shown: ['backend-flask/db/schema.sql', 'backend-flask/db/seed.sql'],
    });
  });

  it('follows the bin/db script that loads them from next to itself', () => {
    const root = repo({
      'backend-flask/bin/db/schema-load': 'ABS_PATH=$(readlink -f "$0")\nDB_PATH=$(dirname $ABS_PATH)\nschema_path="$DB_PATH/sql/schema.sql"\npsql $URL < $schema_path\n',
      'backend-flask/bin/db/sql/schema.sql': 'x',
      'backend-flask/bin/db/sql/seed.sql': 'y',
      // A stale copy elsewhere loses to the one the scripts load.
      'db/schema.sql': 'stale',
    });
    expect(findDatabaseFiles(root)?.schemaFile).toBe(path.join(root, 'backend-flask/bin/db/sql/schema.sql'));
  });

  it('finds bin/db/sql even without a script that names it, and nothing when there is none', () => {
    expect(findDatabaseFiles(repo({ 'backend-flask/bin/db/sql/schema.sql': 'x' }))?.shown).toEqual(['backend-flask/bin/db/sql/schema.sql']);
    expect(findDatabaseFiles(repo({ 'backend-flask/app.py': '' }))).toBeUndefined();
  });

  it('never follows a script to a file outside the repository', () => {
    const outside = repo({ 'schema.sql': 'secret' });
    const root = repo({ 'backend-flask/bin/db/schema-load': 'psql < ../../../../sql/schema.sql\n' });
    symlinkSync(outside, path.join(root, 'backend-flask/db'));
    expect(findDatabaseFiles(root)).toBeUndefined();
  });
});
