/**
 * The build steps: a cached debootstrap root filesystem per recipe, then `docker import` of that tree with the
 * recipe's files on top. Everything temporary lives next to the cache, named with our pid.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError } from './build-error.ts';
import { debootstrapProgress } from './debootstrap-progress.ts';
import { elapsed, say } from './log.ts';
import { children, chroot, removeTree, run, runSync, temporaryDirs } from './processes.ts';
import type { Recipe } from './recipes.ts';

/** The Debian release the images are built from. */
export const SUITE = 'bookworm';
/** Bump when the steps after debootstrap change, so cached root filesystems are rebuilt. */
const ROOTFS_REVISION = 1;

/** The image id of `tag` on the Docker engine, or undefined when there is no such image. */
export function imageId(tag: string): string | undefined {
  const inspected = runSync('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]);
  return inspected.ok ? inspected.out : undefined;
}

/** Removes partial root filesystems and build trees that a killed run left behind. */
export async function removeLeftovers(imagesDir: string): Promise<void> {
  for (const name of readdirSync(imagesDir)) {
    const pid = /^\..+\.(?:partial|build|staging)-(\d+)$/.exec(name)?.[1];
    if (!pid || Number(pid) === process.pid) continue;
    try {
      process.kill(Number(pid), 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') continue;
      await removeTree(path.join(imagesDir, name));
      say('setup', `removed ${name}, left by an interrupted run`);
    }
  }
}

/** The recipe's root filesystem under `imagesDir`: the cached one, or a fresh debootstrap from `mirror`. */
export async function ensureRootfs(recipe: Recipe, imagesDir: string, mirror: string, rebuild: boolean): Promise<string> {
  const scope = recipe.key;
  const recipeId = createHash('sha256')
    .update(JSON.stringify({ suite: SUITE, variant: 'minbase', packages: recipe.packages, revision: ROOTFS_REVISION }))
    .digest('hex')
    .slice(0, 12);
  const name = `${recipe.key}-rootfs-${SUITE}-${recipeId}`;
  const rootfs = path.join(imagesDir, name);
  if (existsSync(rootfs) && !rebuild) {
    say(scope, `using cached root filesystem ${path.relative(process.cwd(), rootfs)}`);
    return rootfs;
  }
  const partial = path.join(imagesDir, `.${name}.partial-${process.pid}`);
  temporaryDirs.add(partial);
  await removeTree(partial);
  const logFile = path.join(imagesDir, `${recipe.key}-debootstrap.log`);
  const log = createWriteStream(logFile);
  const since = Date.now();
  say(scope, `debootstrap --variant=minbase --include=${recipe.packages.join(',')} ${SUITE} (log: ${path.relative(process.cwd(), logFile)})`);
  const progress = debootstrapProgress((message) => say(scope, message));
  try {
    // Two stages, so that dpkg can skip its fsync after every file (force-unsafe-io) while installing: a
    // root filesystem we can rebuild needs no crash safety, and on slow disks those fsyncs cost minutes.
    const include = `--include=${recipe.packages.join(',')}`;
    await run('debootstrap', ['--foreign', '--variant=minbase', include, SUITE, partial, mirror], { log, onLine: progress.onLine });
    const unsafeIo = path.join(partial, 'etc/dpkg/dpkg.cfg.d/cruddur-labs-unsafe-io');
    mkdirSync(path.dirname(unsafeIo), { recursive: true });
    writeFileSync(unsafeIo, 'force-unsafe-io\n');
    await run('chroot', [partial, '/debootstrap/debootstrap', '--second-stage'], { log, onLine: progress.onLine });
    rmSync(unsafeIo);
    progress.flush();
    say(scope, `debootstrap done in ${elapsed(since)}`);
    // Trim what an image does not need and what belongs to this host rather than to the image.
    await chroot(partial, 'rm -rf /var/cache/apt/archives/*.deb /var/lib/apt/lists/* /etc/resolv.conf /etc/hostname');
    await recipe.prepareRootfs(partial);
    await removeTree(rootfs);
    renameSync(partial, rootfs);
    temporaryDirs.delete(partial);
  } finally {
    log.end();
    await removeTree(partial);
    temporaryDirs.delete(partial);
  }
  for (const old of readdirSync(imagesDir)) {
    if (old.startsWith(`${recipe.key}-rootfs-`) && old !== name) {
      await removeTree(path.join(imagesDir, old));
      say(scope, `removed outdated root filesystem ${old}`);
    }
  }
  say(scope, `root filesystem ready in ${elapsed(since)}: ${path.relative(process.cwd(), rootfs)}`);
  return rootfs;
}

/** Imports `rootfs` with the recipe's files on top as the recipe's tag; removes the image the tag named before. */
export async function importImage(recipe: Recipe, rootfs: string, imagesDir: string): Promise<void> {
  const scope = recipe.key;
  const since = Date.now();
  // Everything temporary lives next to the cache, named with our pid, so removeLeftovers() finds it after a crash.
  const staging = path.join(imagesDir, `.${recipe.key}.staging-${process.pid}`);
  temporaryDirs.add(staging);
  // docker import refuses duplicate paths, so the image's files go into one tree: a hard-linked copy of the
  // cached rootfs (same filesystem, about a second) where added files replace links, never the cache's files.
  const tree = path.join(imagesDir, `.${recipe.key}.build-${process.pid}`);
  temporaryDirs.add(tree);
  try {
    await Promise.all([removeTree(staging), removeTree(tree)]);
    mkdirSync(staging, { mode: 0o755 });
    const extra = recipe.stage(staging, rootfs);
    await run('cp', ['-al', rootfs, tree]);
    for (const member of extra) {
      const target = path.dirname(path.join(tree, member));
      const copied = runSync('cp', ['-a', '--remove-destination', path.join(staging, member), `${target}/`]);
      if (!copied.ok) throw new BuildError(`could not add ${member} to the image: ${copied.out}`);
    }
    const previous = imageId(recipe.tag);
    say(scope, `docker import -> ${recipe.tag}`);
    const tarArgs = ['--numeric-owner', '--exclude=./dev/*', '--exclude=./proc/*', '--exclude=./sys/*', '-C', tree, '-c', '.'];
    const tar = spawn('tar', tarArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(tar);
    let tarErrors = '';
    tar.stderr.on('data', (chunk: Buffer) => (tarErrors += chunk.toString()));
    const tarDone = new Promise<void>((resolve, reject) => {
      tar.once('error', reject);
      // 'exit', not 'close': tar's stdout now belongs to docker, so 'close' may never come.
      tar.once('exit', (code, signal) => {
        children.delete(tar);
        if (code === 0) resolve();
        else reject(new BuildError(`tar of ${rootfs} failed (${signal ?? `exit ${code}`}): ${tarErrors.trim()}`));
      });
    });
    const changeArgs = recipe.changes.flatMap((change) => ['--change', change]);
    const imported = run('docker', ['import', ...changeArgs, '-', recipe.tag], { stdin: tar.stdout });
    // Drop our copy of the pipe, so tar stops (SIGPIPE) if docker exits early instead of blocking.
    tar.stdout.destroy();
    const [tarOutcome, importOutcome] = await Promise.allSettled([tarDone, imported]);
    if (importOutcome.status === 'rejected') throw importOutcome.reason;
    if (tarOutcome.status === 'rejected') throw tarOutcome.reason;
    const id = importOutcome.value;
    // A rebuilt tag leaves its previous image dangling: remove it unless a container still uses it.
    if (previous && previous !== id.trim()) runSync('docker', ['image', 'rm', previous]);
    const size = Number(runSync('docker', ['image', 'inspect', '--format', '{{.Size}}', recipe.tag]).out) || 0;
    say(scope, `built ${recipe.tag} (${id.trim().replace(/^sha256:/, '').slice(0, 12)}, ${(size / 1e6).toFixed(0)} MB) in ${elapsed(since)}`);
  } finally {
    await Promise.all([removeTree(staging), removeTree(tree)]);
    temporaryDirs.delete(staging);
    temporaryDirs.delete(tree);
  }
}
