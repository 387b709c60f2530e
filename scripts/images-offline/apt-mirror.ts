/**
 * The Debian mirror this machine's apt uses, read from its sources (deb822 `.sources` and one-line `.list`
 * files), so that debootstrap reaches the same (allowed) host.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError } from './build-error.ts';

/** The mirror of the first source file (in aptSourceFiles() order) that has an enabled `deb` entry for `suite`, without a trailing slash. */
export function debianMirror(suite: string, files = aptSourceFiles()): string {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const found = file.endsWith('.sources') ? mirrorFromDeb822(text, suite) : mirrorFromOneLine(text, suite);
    if (found) return found.replace(/\/+$/, '');
  }
  throw new BuildError(
    `found no Debian mirror for ${suite} in ${files.join(', ') || '/etc/apt (no source files)'}. ` +
      'debootstrap needs the mirror apt uses: check /etc/apt/sources.list.d/debian.sources.',
  );
}

/** apt's source files, most likely first: debian.sources, the other .sources, sources.list, the other .list. */
export function aptSourceFiles(etcApt = '/etc/apt'): string[] {
  const dir = path.join(etcApt, 'sources.list.d');
  const listed = existsSync(dir) ? readdirSync(dir).sort() : [];
  const inDir = (suffix: string): string[] => listed.filter((name) => name.endsWith(suffix)).map((name) => path.join(dir, name));
  const first = path.join(dir, 'debian.sources');
  const sourcesList = path.join(etcApt, 'sources.list');
  return [
    ...(existsSync(first) ? [first] : []),
    ...inDir('.sources').filter((file) => file !== first),
    ...(existsSync(sourcesList) ? [sourcesList] : []),
    ...inDir('.list'),
  ];
}

/** The first http(s) URI of the first enabled `deb` stanza listing `suite` in a deb822 `.sources` text. */
export function mirrorFromDeb822(text: string, suite: string): string | undefined {
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match?.[1] && match[2] !== undefined) fields.set(match[1].toLowerCase(), match[2].trim());
    }
    if (fields.get('enabled')?.toLowerCase() === 'no') continue;
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) continue;
    if (!(fields.get('suites') ?? '').split(/\s+/).includes(suite)) continue;
    const uri = (fields.get('uris') ?? '').split(/\s+/).find((u) => /^https?:\/\//.test(u));
    if (uri) return uri;
  }
  return undefined;
}

/** The http(s) URI of the first `deb` line for `suite` in a one-line `.list` text (options in brackets allowed). */
export function mirrorFromOneLine(text: string, suite: string): string | undefined {
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').replace(/\[[^\]]*\]/, ' ').trim();
    const [type, uri, lineSuite] = line.split(/\s+/);
    if (type === 'deb' && uri && /^https?:\/\//.test(uri) && lineSuite === suite) return uri;
  }
  return undefined;
}
