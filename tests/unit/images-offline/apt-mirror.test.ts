import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aptSourceFiles, debianMirror, mirrorFromDeb822, mirrorFromOneLine } from '../../../scripts/images-offline/apt-mirror.ts';
import { BuildError } from '../../../scripts/images-offline/build-error.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'apt-mirror-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `text` to `name` under the test's temporary directory; returns its path. */
function write(name: string, text: string): string {
  const file = path.join(dir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

describe('mirrorFromDeb822', () => {
  it('takes the URI of an enabled deb stanza for the suite', () => {
    const text = ['Types: deb', 'URIs: http://mirror.example/debian', 'Suites: bookworm bookworm-updates', 'Components: main'].join('\n');
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('skips a stanza with Enabled: no (any case) and takes the next one', () => {
    const text = [
      'Enabled: No\nTypes: deb\nURIs: http://disabled.example/debian\nSuites: bookworm',
      'Types: deb\nURIs: https://enabled.example/debian\nSuites: bookworm',
    ].join('\n\n');
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('https://enabled.example/debian');
  });

  it('skips stanzas for other suites (bookworm-security is not bookworm) and deb-src only stanzas', () => {
    const text = [
      'Types: deb\nURIs: http://security.example/debian-security\nSuites: bookworm-security',
      'Types: deb-src\nURIs: http://sources.example/debian\nSuites: bookworm',
      'Types: deb deb-src\nURIs: http://main.example/debian\nSuites: bookworm-updates bookworm',
    ].join('\n\n');
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('http://main.example/debian');
  });

  it('reads several stanzas separated by blank or whitespace-only lines, the first match winning', () => {
    const text = 'Types: deb\nURIs: http://first.example/debian\nSuites: bookworm\n  \nTypes: deb\nURIs: http://second.example/debian\nSuites: bookworm\n';
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('http://first.example/debian');
  });

  it('ignores comment lines, even ones that look like fields', () => {
    const text = [
      '# the main archive',
      'Types: deb',
      'URIs: http://mirror.example/debian',
      '# URIs: http://commented.example/debian',
      'Suites: bookworm',
      '#Enabled: no',
    ].join('\n');
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('takes the first http(s) URI of a stanza, case-insensitive field names', () => {
    const text = 'types: deb\nuris: file:/srv/debian cdrom:/media http://mirror.example/debian\nsuites: bookworm';
    expect(mirrorFromDeb822(text, 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('finds nothing when no stanza matches', () => {
    const text = 'Types: deb\nURIs: file:/srv/debian\nSuites: bookworm\n\nTypes: deb\nURIs: http://mirror.example/debian\nSuites: trixie';
    expect(mirrorFromDeb822(text, 'bookworm')).toBeUndefined();
  });
});

describe('mirrorFromOneLine', () => {
  it('takes the URI of a deb line for the suite, after [arch=amd64] options', () => {
    expect(mirrorFromOneLine('deb [arch=amd64 signed-by=/usr/share/keyrings/k.gpg] http://mirror.example/debian bookworm main\n', 'bookworm')).toBe(
      'http://mirror.example/debian',
    );
  });

  it('skips comments, deb-src, other suites and non-http URIs', () => {
    const text = [
      '# deb http://commented.example/debian bookworm main',
      '#deb http://commented.example/debian bookworm main',
      'deb-src http://sources.example/debian bookworm main',
      'deb http://security.example/debian-security bookworm-security main',
      'deb file:/srv/debian bookworm main',
      '',
      'deb https://mirror.example/debian bookworm main contrib # the one',
      'deb http://later.example/debian bookworm main',
    ].join('\n');
    expect(mirrorFromOneLine(text, 'bookworm')).toBe('https://mirror.example/debian');
  });

  it('strips a comment that starts right after the suite', () => {
    expect(mirrorFromOneLine('deb http://mirror.example/debian bookworm#main is implied\n', 'bookworm')).toBe('http://mirror.example/debian');
  });

  it('finds nothing when no line matches', () => {
    expect(mirrorFromOneLine('deb http://mirror.example/debian trixie main\n# deb http://x.example/debian bookworm main', 'bookworm')).toBeUndefined();
  });
});

describe('debianMirror', () => {
  const noMatch = write('first/none.sources', 'Types: deb\nURIs: http://other.example/debian\nSuites: trixie\n');
  const list = write('first/match.list', 'deb http://list.example/debian/ bookworm main\n');
  const sources = write('first/match.sources', 'Types: deb\nURIs: http://sources.example/debian\nSuites: bookworm\n');

  it('returns the mirror of the first file that has one, without a trailing slash', () => {
    expect(debianMirror('bookworm', [noMatch, list, sources])).toBe('http://list.example/debian');
    expect(debianMirror('bookworm', [noMatch, sources, list])).toBe('http://sources.example/debian');
  });

  it('parses each file by its suffix: a .list file is read as one-line entries', () => {
    const deb822InList = write('first/deb822.list', 'Types: deb\nURIs: http://wrong.example/debian\nSuites: bookworm\n');
    expect(debianMirror('bookworm', [deb822InList, sources])).toBe('http://sources.example/debian');
  });

  it('says which files it read when none has the suite', () => {
    expect(() => debianMirror('bookworm', [noMatch])).toThrow(BuildError);
    expect(() => debianMirror('bookworm', [noMatch])).toThrow(`found no Debian mirror for bookworm in ${noMatch}.`);
    expect(() => debianMirror('bookworm', [])).toThrow('found no Debian mirror for bookworm in /etc/apt (no source files).');
  });
});

describe('aptSourceFiles', () => {
  it('lists debian.sources first, then the other .sources, sources.list, then the .list files, each sorted', () => {
    const etc = path.join(dir, 'etc-apt');
    for (const name of ['sources.list.d/zz.sources', 'sources.list.d/bb.list', 'sources.list.d/debian.sources', 'sources.list.d/aa.list']) write(`etc-apt/${name}`, '');
    write('etc-apt/sources.list.d/aa.sources', '');
    write('etc-apt/sources.list.d/notes.txt', '');
    write('etc-apt/sources.list', '');
    expect(aptSourceFiles(etc)).toEqual(
      ['sources.list.d/debian.sources', 'sources.list.d/aa.sources', 'sources.list.d/zz.sources', 'sources.list', 'sources.list.d/aa.list', 'sources.list.d/bb.list'].map(
        (name) => path.join(etc, name),
      ),
    );
  });

  it('lists nothing for a directory without apt sources', () => {
    expect(aptSourceFiles(path.join(dir, 'no-such-etc-apt'))).toEqual([]);
  });
});
