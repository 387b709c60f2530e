import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DatabaseFiles } from '../course/prepare-users.ts';
import { isFileInside } from './inside-file.ts';

/**
 * How a repository names its Postgres URL. The course's `CONNECTION_URL` holds the database
 * (`postgresql://postgres:password@localhost:5432/cruddur`); many learners' `lib/db.py` builds
 * `f"{CONNECTION_URL}/{DB_NAME}"` instead, with a server-only `CONNECTION_URL`.
 */
export interface ConnectionConvention {
  /** `database`: CONNECTION_URL ends with the database; `server`: the code appends `/<DB_NAME>` itself. */
  form: 'database' | 'server';
  /** Where the repository says so (`backend-flask/lib/db.py:12`), when it does. */
  where?: string;
}

const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'frontend-react-js', '.venv', 'venv', '__pycache__']);
/** Files larger than this are not code a learner wrote. */
const MAX_FILE_BYTES = 256 * 1024;

/** Text files that may show how the URL is used: Python, shell scripts, compose files, env files. */
const looksLikeCode = (file: string): boolean => /\.(py|sh|ya?ml|env|example)$/.test(file) || /(^|\/)bin\/db\/[^/.]+$/.test(file) || /\.env[^/]*$/.test(file);

/**
 * The repository's code files (`looksLikeCode`), at most `depth` folders deep. Symlinked folders are not followed:
 * they lead out of the repository or round in a loop.
 */
function repositoryFiles(root: string, depth = 5): string[] {
  const files: string[] = [];
  const walk = (dir: string, level: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (level < depth) walk(full, level + 1);
        continue;
      }
      if (!looksLikeCode(full)) continue;
      try {
        if (statSync(full).size <= MAX_FILE_BYTES && isFileInside(root, full)) files.push(full);
      } catch {
        // gone, or a dangling link
      }
    }
  };
  walk(root, 0);
  return files;
}

/**
 * A line that builds the database URL from CONNECTION_URL plus a database name: `f"{connection_url}/{db_name}"`,
 * `os.getenv("CONNECTION_URL") + "/" + DB_NAME`, `"$CONNECTION_URL/$DB_NAME"`.
 */
const APPENDS_DATABASE = [
  /CONNECTION_URL[^\n]*?\}\/\{/i,
  /\{[^}\n]*connection_url[^}\n]*\}\/\{/i,
  /CONNECTION_URL['"]?\s*[)\]]?\s*\+\s*['"]\/['"]/i,
  /\$\{?CONNECTION_URL\}?\/\$\{?DB_NAME\b/,
];
/** A setting of CONNECTION_URL to a URL with no database path: `CONNECTION_URL: "postgresql://u:p@db:5432"`. */
const SERVER_ONLY_SETTING = /\bCONNECTION_URL\b\s*[:=]\s*['"]?postgres(?:ql)?:\/\/[^/\s'"]+\/?['"]?\s*$/im;

/** Reads how the repository composes its Postgres URL; the course's form when nothing says otherwise. */
export function connectionConvention(root: string): ConnectionConvention {
  for (const file of repositoryFiles(root)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const lines = text.split('\n');
    const index = lines.findIndex((line) => !/^\s*#/.test(line) && !/PROD/.test(line) && (APPENDS_DATABASE.some((re) => re.test(line)) || SERVER_ONLY_SETTING.test(line)));
    if (index >= 0) return { form: 'server', where: `${path.relative(root, file)}:${index + 1}` };
  }
  return { form: 'database' };
}

/** The known places of week 4's schema.sql and seed.sql, in the order the course used them. */
const KNOWN_SQL_DIRS = ['backend-flask/db', 'db', 'backend-flask/bin/db/sql', 'bin/db/sql', 'backend-flask/db/sql', 'backend-flask/sql', 'sql'];

/**
 * The repository's own `schema.sql` (and `seed.sql` beside it): where its `bin/db` scripts load them from, else
 * the known places. Only files that really lie inside the repository.
 */
export function findDatabaseFiles(root: string): DatabaseFiles | undefined {
  const fromScripts = sqlDirsNamedByScripts(root);
  for (const dir of [...fromScripts, ...KNOWN_SQL_DIRS]) {
    const schemaFile = path.join(root, dir, 'schema.sql');
    if (!isFileInside(root, schemaFile)) continue;
    const seedFile = path.join(root, dir, 'seed.sql');
    const hasSeed = isFileInside(root, seedFile);
    const shown = [schemaFile, ...(hasSeed ? [seedFile] : [])].map((file) => path.relative(root, file));
    return { schemaFile, ...(hasSeed ? { seedFile } : {}), shown };
  }
  return undefined;
}

/**
 * Folders a `bin/db` script loads `schema.sql` from, relative to the repository: the course's
 * `schema_path="$(realpath .)/db/schema.sql"` (run from backend-flask) and learners'
 * `$(dirname $0)/sql/schema.sql` or `$ABS_PATH/sql/schema.sql` (next to the script).
 */
function sqlDirsNamedByScripts(root: string): string[] {
  const dirs: string[] = [];
  for (const scriptsDir of ['backend-flask/bin/db', 'bin/db']) {
    let names: string[];
    try {
      names = readdirSync(path.join(root, scriptsDir)).sort();
    } catch {
      continue;
    }
    for (const name of names) {
      const file = path.join(root, scriptsDir, name);
      if (!isFileInside(root, file)) continue;
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        continue;
      }
      for (const match of text.matchAll(/([\w.$/{}()-]*?)\/?schema\.sql/g)) {
        const written = match[1] ?? '';
        // The part after the last variable or command substitution: `$(dirname $0)/sql` -> `sql`.
        const tail = written.replace(/^.*[)}]/, '').replace(/^.*\$\w+/, '').replace(/^\/+/, '');
        const appRoot = scriptsDir.startsWith('backend-flask') ? 'backend-flask' : '';
        for (const base of [path.join(scriptsDir), appRoot]) {
          const dir = path.normalize(path.join(base, tail));
          if (!dir.startsWith('..') && !dirs.includes(dir)) dirs.push(dir);
        }
      }
    }
  }
  return dirs;
}
