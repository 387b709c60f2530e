import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll } from 'vitest';
import { errorMessage, ServiceError, ToolUnavailable } from '../../../src/errors.ts';
import { scanAll, type Item } from '../../../src/labkit/ddb-observe.ts';
import { readmeRef } from '../../../src/labkit/define-lab.ts';
import { useLab, type LabContext } from '../../../src/labkit/lab-context.ts';
import { labTask } from '../../../src/labkit/lab-task.ts';
import { readPng } from '../../../src/labkit/png-header.ts';
import { prepareWithReference } from '../../../src/labkit/prepare.ts';
import { TABLE } from '../02-create-table/lab.ts';
import { startAdminUi, type AdminUi } from './admin-ui-process.ts';
import { fetchPage, listedTables, servedItems, shownItemCount } from './admin-pages.ts';
import { lab, MIN_SCREENSHOT_BYTES, SCREENSHOT_IN_JOURNAL, VIEWPORT } from './lab.ts';
import { findChromium, screenshotItemsPage } from './screenshot.ts';

const context = useLab(lab, { reset: true });
let running: AdminUi | undefined;

afterAll(async () => {
  await running?.stop();
});

// Nothing here is the learner's step: the data comes from the reference schema-load and seed, and the suite
// starts DynamoDB Admin itself. So whatever goes wrong is ours to fix, and reported as `error`, never `fail`.
const NOT_YOURS = 'This is a problem of the lab suite or of DynamoDB Admin, not of your work.';

interface Prepared {
  ui: AdminUi;
  /** The table as DynamoDB Local holds it, read with the SDK: what the UI must show. */
  items: Item[];
}

function prepared(ctx: LabContext): Promise<Prepared> {
  return ctx.once('admin-ui', async () => {
    await prepareWithReference(ctx, 'schema-load');
    await prepareWithReference(ctx, 'seed');
    const items = (await scanAll(ctx.ddb, TABLE)) ?? [];
    running = await startAdminUi({ dynamodbEndpoint: ctx.services.dynamodb.endpoint, timeoutMs: ctx.config.startupTimeoutMs });
    return { ui: running, items };
  });
}

const keyOf = (item: Item) => `${String(item.pk)}\u0000${String(item.sk)}`;

labTask(lab, 1, async (t) => {
  const ctx = await context();
  const { ui, items } = await prepared(ctx);
  t.evidence('adminUi', { command: ui.command, url: `${ui.url}/`, version: ui.version, startedInMs: ui.startedInMs, log: ui.log() });
  const page = await fetchPage(`${ui.url}/`);
  if (page.status !== 200) {
    throw new ServiceError(`DynamoDB Admin's table list (${page.url}) answered HTTP ${page.status}: ${page.body.slice(0, 300)}. ${NOT_YOURS}`);
  }
  const listed = listedTables(page.body);
  t.evidence('listed', listed);
  const entry = listed.find((l) => l.name === TABLE);
  if (!entry) {
    const names = listed.map((l) => l.name).join(', ') || 'none';
    throw new ServiceError(`DynamoDB Admin's table list does not show \`${TABLE}\` (it shows: ${names}). ${NOT_YOURS} See ${readmeRef(lab, 1)}.`);
  }
  return `DynamoDB Admin ${ui.version} lists \`${TABLE}\` with ${entry.itemCount ?? 'no'} items (the table holds ${items.length})`;
});

labTask(lab, 2, async (t) => {
  const ctx = await context();
  const { ui, items } = await prepared(ctx);
  const page = await fetchPage(`${ui.url}/tables/${encodeURIComponent(TABLE)}`);
  if (page.status !== 200) {
    throw new ServiceError(`DynamoDB Admin's page of \`${TABLE}\` answered HTTP ${page.status}: ${page.body.slice(0, 300)}. ${NOT_YOURS}`);
  }
  let served;
  try {
    served = await servedItems(ui.url, TABLE);
  } catch (error) {
    throw new ServiceError(`DynamoDB Admin did not serve the items of \`${TABLE}\`: ${errorMessage(error)}. ${NOT_YOURS}`, { cause: error });
  }
  const shownCount = shownItemCount(page.body);
  const messages = items.filter((i) => String(i.pk).startsWith('MSG#')).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
  const first = messages[0];
  const firstText = typeof first?.message === 'string' ? first.message : undefined;
  const servedKeys = new Set(served.items.map(keyOf));
  const missing = items.filter((i) => !servedKeys.has(keyOf(i)));
  t.evidence('served', {
    page: `/tables/${TABLE}`,
    itemCountShown: shownCount ?? 'none',
    itemsServed: served.items.length,
    pages: served.pages,
    messageGroups: served.items.filter((i) => String(i.pk).startsWith('GRP#')).length,
    messages: served.items.filter((i) => String(i.pk).startsWith('MSG#')).length,
    firstMessage: firstText ?? 'none',
  });
  const problems: string[] = [];
  if (shownCount !== items.length) problems.push(`the page shows an item count of ${shownCount ?? 'nothing'}, the table holds ${items.length}`);
  if (served.items.length !== items.length) problems.push(`it served ${served.items.length} items over ${served.pages} pages, the table holds ${items.length}`);
  if (missing.length > 0) problems.push(`${missing.length} items are missing, e.g. ${String(missing[0]?.pk)} ${String(missing[0]?.sk)}`);
  if (firstText === undefined) problems.push('the seeded table holds no message to look for');
  else if (!served.items.some((i) => i.message === firstText)) problems.push(`the first message ("${firstText}") is not among the items served`);
  if (problems.length > 0) throw new ServiceError(`DynamoDB Admin's page of \`${TABLE}\`: ${problems.join('; ')}. ${NOT_YOURS}`);
  return `the page of \`${TABLE}\` shows ${shownCount} items and serves all ${served.items.length} over ${served.pages} pages, including the first message "${firstText}"`;
});

labTask(lab, 3, async (t) => {
  const ctx = await context();
  const file = path.join(ctx.config.journalDir, SCREENSHOT_IN_JOURNAL);
  // Recorded relative to the suite's root when it is inside it, as the journal writer resolves it.
  const recorded = path.relative(process.cwd(), file).startsWith('..') ? file : path.relative(process.cwd(), file);
  // Never leave an older run's picture where this run's journal would look for one.
  await rm(file, { force: true });
  const chromium = findChromium(ctx.config.chromium);
  if ('missing' in chromium) {
    throw new ToolUnavailable(
      `No screenshot of DynamoDB Admin: ${chromium.missing}. The screenshot is evidence for the journal, not your work, so this does not ` +
        'count against you. Install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set LAB_CHROMIUM to a Chromium or ' +
        'Chrome executable, then run the labs again.',
    );
  }
  const { ui } = await prepared(ctx);
  const url = `${ui.url}/tables/${encodeURIComponent(TABLE)}`;
  let shot;
  try {
    shot = await screenshotItemsPage({ executable: chromium.executable, url, viewport: VIEWPORT, timeoutMs: ctx.config.startupTimeoutMs });
  } catch (error) {
    throw new ServiceError(`Chromium (${chromium.executable}) could not take the screenshot of ${url}: ${errorMessage(error)}. ${NOT_YOURS}`, { cause: error });
  }
  let png;
  try {
    png = readPng(shot.png);
  } catch (error) {
    throw new ServiceError(`The screenshot Chromium returned is not a valid PNG: ${errorMessage(error)}. ${NOT_YOURS}`, { cause: error });
  }
  const problems: string[] = [];
  if (png.width !== VIEWPORT.width || png.height !== VIEWPORT.height) problems.push(`it is ${png.width}x${png.height}, expected ${VIEWPORT.width}x${VIEWPORT.height}`);
  if (png.bytes < MIN_SCREENSHOT_BYTES) problems.push(`it is only ${png.bytes} bytes, too small to show the table (a blank page?)`);
  if (shot.rows === 0) problems.push('the page showed no item rows');
  if (problems.length > 0) throw new ServiceError(`The screenshot of ${url} is not usable: ${problems.join('; ')}. ${NOT_YOURS}`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(`${file}.tmp`, shot.png);
  await rename(`${file}.tmp`, file);
  t.evidence('screenshot', {
    path: recorded,
    width: png.width,
    height: png.height,
    bytes: png.bytes,
    sha256: createHash('sha256').update(shot.png).digest('hex'),
    url: `/tables/${TABLE}`,
    browser: shot.browser,
    rows: shot.rows,
    durationMs: shot.durationMs,
  });
  return `${shot.browser} took a ${png.width}x${png.height} PNG (${Math.round(png.bytes / 1024)} KB, ${shot.rows} item rows) of the page of \`${TABLE}\`: ${recorded}`;
});
