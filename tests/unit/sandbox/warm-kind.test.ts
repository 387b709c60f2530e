import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { warmKind } from '../../../src/sandbox/python-preloader.ts';
import { tempDir } from '../../grader/fixtures.ts';

describe('which scripts a resident interpreter runs, and how', () => {
  const dir = tempDir('cruddur-warm-kind-');
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text, { mode: 0o755 });
    return path.join(dir, name);
  };

  it("runs the course's Python scripts in Python, with or without a carriage return after the shebang", () => {
    expect(warmKind(file('seed', '#!/usr/bin/env python3\nimport boto3\n'))).toBe('python');
    expect(warmKind(file('seed-crlf', '#!/usr/bin/env python3\r\nimport boto3\r\n'))).toBe('python');
    expect(warmKind(file('seed-spaced', '#! /usr/bin/env  python3\n'))).toBe('python');
  });

  it('executes any other script with a shebang (bash, another python), as its shell would', () => {
    expect(warmKind(file('list-tables', '#! /usr/bin/env bash\naws dynamodb list-tables\n'))).toBe('exec');
    expect(warmKind(file('other-python', '#!/usr/bin/python3 -u\n'))).toBe('exec');
    expect(warmKind(file('sh', '#!/bin/sh\n'))).toBe('exec');
  });

  it('leaves to a cold start what has no shebang, a link, a folder or nothing at all', () => {
    expect(warmKind(file('no-shebang', 'aws dynamodb list-tables\n'))).toBeUndefined();
    expect(warmKind(file('empty', ''))).toBeUndefined();
    symlinkSync(path.join(dir, 'seed'), path.join(dir, 'linked'));
    expect(warmKind(path.join(dir, 'linked'))).toBeUndefined();
    mkdirSync(path.join(dir, 'folder'));
    expect(warmKind(path.join(dir, 'folder'))).toBeUndefined();
    expect(warmKind(path.join(dir, 'missing'))).toBeUndefined();
  });
});
