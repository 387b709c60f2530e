import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listedTables, shownItemCount } from '../../labs/week-05/06-admin-ui/admin-pages.ts';
import { findChromium } from '../../labs/week-05/06-admin-ui/screenshot.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'admin-ui-helpers-'));
  await writeFile(path.join(dir, 'my-chrome'), '#!/bin/sh\n');
  await chmod(path.join(dir, 'my-chrome'), 0o755);
  await writeFile(path.join(dir, 'not-executable'), '');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('findChromium', () => {
  it('uses LAB_CHROMIUM as a path or as a command on PATH', () => {
    expect(findChromium(path.join(dir, 'my-chrome'))).toEqual({ executable: path.join(dir, 'my-chrome') });
    expect(findChromium('my-chrome', `/nonexistent${path.delimiter}${dir}`)).toEqual({ executable: path.join(dir, 'my-chrome') });
  });

  it('says why when LAB_CHROMIUM is not an executable file', () => {
    expect(findChromium(path.join(dir, 'not-executable'))).toEqual({ missing: `LAB_CHROMIUM=${path.join(dir, 'not-executable')} is not an executable file` });
    expect(findChromium('no-such-browser', dir)).toEqual({ missing: 'LAB_CHROMIUM=no-such-browser is not an executable file' });
  });
});

describe("reading DynamoDB Admin's pages", () => {
  // As dynamodb-admin 5.3.3 renders them (views/tables.ejs, partials/breadcrumb.ejs), EJS-escaped.
  const list = `
    <ul class="list-group" id="table-list">
        <li class="list-group-item" data-table-name="cruddur-messages">
          <a href='/tables/cruddur-messages'>cruddur-messages</a>
          <span class="badge badge-secondary badge-pill float-right ml-1">
            106
          </span>
        </li>
        <li class="list-group-item" data-table-name="odd&#34;name&amp;">
          <a href='/tables/odd'>odd</a>
        </li>
    </ul>`;

  it('lists the tables with the item count each shows', () => {
    expect(listedTables(list)).toEqual([
      { name: 'cruddur-messages', itemCount: 106 },
      { name: 'odd"name&', itemCount: undefined },
    ]);
    expect(listedTables('<html>no tables</html>')).toEqual([]);
  });

  it("reads the item count next to the table's name", () => {
    const page = `<a class="breadcrumb-item" href="/">Tables</a>
      <a class="breadcrumb-item active" >cruddur-messages
          <span class="badge badge-secondary badge-pill ml-1">106</span>
      </a>`;
    expect(shownItemCount(page)).toBe(106);
    expect(shownItemCount('<a class="breadcrumb-item active">x</a>')).toBeUndefined();
  });
});
