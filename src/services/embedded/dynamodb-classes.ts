import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { findExecutable } from '../../executables.ts';
import { markUsed, removeStale } from './cache-entries.ts';
import { filterClassPath, readManifest, withManifest } from './jar-manifest.ts';

/**
 * Class data sharing for DynamoDB Local's JVM: the classes it loads at every start (about 4,000) are kept, parsed
 * and verified, in an archive the JVM maps instead of loading them from the jars again (ready in 0.8-0.9 s at 1.0-1.2
 * CPU s against 1.1-1.5 s at 1.4-1.8 CPU s, measured on this project's machine). The first start writes the
 * archive as its JVM ends; later starts use it.
 *
 * Java 17 archives only a class path of jars: DynamoDB Local's manifest also names its own folder (`.`), a log4j2.xml
 * and the native SQLite libraries. The JVM runs a copy of the jar whose manifest names only the jars, in a folder of
 * the cache with a link to the jar's libraries: one per Java and jar, as the archive is valid only for the JVM that
 * wrote it and the jars it read.
 */
export interface DynamoDbClasses {
  /** The jar to run: the copy, or the original where there is no archive to use or make. */
  jar: string;
  /** The JVM's options for the archive. */
  options: string[];
  /** Where this start writes the archive as its JVM ends; `keepArchive` moves it into place after a clean end. */
  writing?: { temp: string; archive: string };
}

const execFileAsync = promisify(execFile);
const PREFIX = 'dynamodb-classes-';
/** How makeCopy makes the copy of the jar: changing it gives a new folder, with a new copy and archive. */
const COPY_FORMAT = 'class-path-jars-only-1';
const ARCHIVE = 'classes.jsa';
const ARCHIVE_OPTION = '-XX:SharedArchiveFile=';
/** Options a JVM also takes from its environment: a folder per value, so that one a JVM refused stays theirs. */
const ENV_OPTIONS = ['JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JDK_JAVA_OPTIONS'];
/** Marks a folder whose options a JVM refused: its starts run the original jar. */
const REFUSED = 'refused';
/** Files being written: moved to their names once complete. */
const PART = '.part-';

/**
 * A name for a file being written in `dir`: random, as grading workers start at once, each in a PID namespace of its
 * own (with the same pid).
 */
const partName = (dir: string): string => path.join(dir, `${PART}${randomBytes(6).toString('hex')}`);

/** The java binary `java` names (a path, or a command on PATH), with its links resolved. */
function realJava(java: string): string | undefined {
  const found = findExecutable(java);
  return found && realpathSync(found);
}

function fingerprint(file: string): string {
  const info = statSync(file);
  return `${file}:${info.size}:${info.mtimeMs}`;
}

/**
 * How to start DynamoDB Local's JVM with shared classes, given its other `jvmOptions`: the archive in `cacheDir`
 * when there is one, else a start that writes it. The original jar and no options where that cannot work (no
 * cache folder, a JVM without a base archive, a jar that cannot be copied, a JVM that refused the options before).
 */
export function dynamoDbClasses(java: string, jar: string, jvmOptions: string[], cacheDir: string | undefined): DynamoDbClasses {
  const plain: DynamoDbClasses = { jar, options: [] };
  // The JVM reads a path with the class path's separator in it as two archives.
  if (!cacheDir || path.resolve(cacheDir).includes(path.delimiter)) return plain;
  try {
    const real = realJava(java);
    if (!real) return plain;
    // bin/java in the Java home; the JVM's library and its base archive (a dynamic archive extends it).
    const server = path.join(path.dirname(path.dirname(real)), 'lib', 'server');
    const base = path.join(server, 'classes.jsa');
    if (!existsSync(base)) return plain;
    const key = createHash('sha256')
      .update(JSON.stringify([COPY_FORMAT, fingerprint(real), fingerprint(path.join(server, 'libjvm.so')), fingerprint(base), fingerprint(jar), jvmOptions, ENV_OPTIONS.map((name) => process.env[name] ?? null)]))
      .digest('hex')
      .slice(0, 12);
    const dir = path.join(path.resolve(cacheDir), `${PREFIX}${key}`);
    mkdirSync(dir, { recursive: true });
    markUsed(cacheDir, PREFIX, dir);
    if (existsSync(path.join(dir, REFUSED))) return plain;
    const copy = copyOf(jar, dir);
    if (!copy) return plain;
    // Archives half-written by JVMs that were killed, copies by processes that were.
    removeStale(dir, PART, 60 * 60_000);
    const archive = path.join(dir, ARCHIVE);
    if (existsSync(archive)) return { jar: copy, options: [`${ARCHIVE_OPTION}${archive}`] };
    const temp = partName(dir);
    return { jar: copy, options: [`-XX:ArchiveClassesAtExit=${temp}`], writing: { temp, archive } };
  } catch {
    // Only the head start is lost.
    return plain;
  }
}

/**
 * The copy of `jar` in `dir`, with only jars on its manifest's class path, beside a link to the jar's libraries:
 * made if missing; undefined if it cannot be (a file system without links).
 */
function copyOf(jar: string, dir: string): string | undefined {
  const copy = path.join(dir, path.basename(jar));
  const link = path.join(dir, 'DynamoDBLocal_lib');
  ignoreExisting(() => symlinkSync(path.join(path.dirname(jar), 'DynamoDBLocal_lib'), link));
  if (!existsSync(copy)) {
    const original = readFileSync(jar);
    const manifest = filterClassPath(readManifest(original), (entry) => entry.endsWith('.jar'));
    const temp = partName(dir);
    writeFileSync(temp, withManifest(original, manifest));
    try {
      // Never replaces a copy already there: an archive is valid only for the copy it was written with.
      ignoreExisting(() => linkSync(temp, copy));
    } finally {
      rmSync(temp, { force: true });
    }
  }
  // existsSync follows the link: a link to nowhere is no libraries.
  return existsSync(copy) && existsSync(link) ? copy : undefined;
}

/** Runs `make`; that another process made the file first is no error. */
function ignoreExisting(make: () => void): void {
  try {
    make();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * After the JVM that wrote the archive ended: the archive goes into place once a JVM has started with it (a
 * truncated archive crashes the JVM that maps it), else it is removed. Returns whether it was kept.
 */
export async function keepArchive(java: string, classes: DynamoDbClasses, jvmOptions: string[]): Promise<boolean> {
  const writing = classes.writing;
  if (!writing || !existsSync(writing.temp)) return false;
  const dir = path.dirname(writing.archive);
  // A JVM that crashes on a damaged archive writes its error report where it is told (removed after), and no core.
  const report = partName(dir);
  const check = [...jvmOptions, `-XX:ErrorFile=${report}`, '-XX:-CreateCoredumpOnCrash'];
  try {
    await execFileAsync(java, [...check, `${ARCHIVE_OPTION}${writing.temp}`, '-Xshare:on', '-cp', classes.jar, '-version'], { cwd: dir, timeout: 30_000 });
    renameSync(writing.temp, writing.archive);
    return true;
  } catch {
    return false;
  } finally {
    rmSync(writing.temp, { force: true });
    rmSync(report, { force: true });
  }
}

/**
 * A JVM that said it could not use the archive (its copy of the jar changed since, e.g. a cache folder copied
 * without its files' times): the archive is removed, and the next start writes it again.
 */
export function dropUnusableArchive(classes: DynamoDbClasses, startLines: string): void {
  const option = classes.options.find((o) => o.startsWith(ARCHIVE_OPTION));
  if (!option || !/Unable to use shared archive/.test(startLines)) return;
  try {
    rmSync(option.slice(ARCHIVE_OPTION.length), { force: true });
  } catch {
    // Not ours to remove (another user's cache): the JVM runs without it, as it did now.
  }
}

/**
 * A JVM that ended before it answered with the archive's options, where one without them answered: the folder is
 * marked, and later starts with the same Java, jar and options run the original jar without them (a JVM whose
 * options, e.g. JAVA_TOOL_OPTIONS=-Xshare:off, leave it no base archive to extend).
 */
export function refuseClasses(classes: DynamoDbClasses): void {
  if (classes.options.length === 0) return;
  try {
    writeFileSync(path.join(path.dirname(classes.jar), REFUSED), `${classes.options.join(' ')}\n`);
  } catch {
    // Then the next start tries again, and falls back again.
  }
}
