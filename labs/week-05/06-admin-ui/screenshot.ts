import { findExecutable, isExecutable } from '../../../src/executables.ts';
import { reaper } from '../../../src/services/reaper.ts';

/** Where Debian, Ubuntu and Google put their browsers; the first executable one is used. */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags for a quiet, headless, offline browser that runs as root in a VM without a GPU. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * The Chromium to use: `configured` (LAB_CHROMIUM, a path or a command on PATH) or the first of the usual
 * places; otherwise why there is none.
 */
export function findChromium(configured: string | undefined, envPath = process.env.PATH ?? ''): { executable: string } | { missing: string } {
  if (configured) {
    const executable = findExecutable(configured, envPath);
    return executable ? { executable } : { missing: `LAB_CHROMIUM=${configured} is not an executable file` };
  }
  const executable = CANDIDATES.find(isExecutable);
  return executable ? { executable } : { missing: `no Chromium was found (looked for ${CANDIDATES.join(', ')}; LAB_CHROMIUM is not set)` };
}

export interface Screenshot {
  png: Buffer;
  browser: string;
  /** Item rows the page showed when the picture was taken. */
  rows: number;
  durationMs: number;
}

/**
 * Opens `url` in a fresh headless Chromium (its own temporary profile, removed on close), waits until the page
 * has rendered the table's items, and returns a PNG of the viewport. Requests to anything but the page's own
 * origin are refused. The browser process group is tracked by the reaper and always ended.
 */
export async function screenshotItemsPage(options: {
  executable: string;
  url: string;
  viewport: { width: number; height: number };
  timeoutMs: number;
}): Promise<Screenshot> {
  const started = Date.now();
  // Loaded here, not with the lab: playwright-core costs a CPU second to import, and a test process that runs no
  // screenshot (a grade with --labs, a lab run without lab 06) never pays it.
  const { chromium } = await import('playwright-core');
  const server = await chromium.launchServer({
    executablePath: options.executable,
    headless: true,
    args: CHROMIUM_ARGS,
    host: '127.0.0.1',
    timeout: options.timeoutMs,
  });
  // Playwright starts the browser as the leader of its own process group: the whole tree goes with it.
  const pid = server.process().pid;
  const group = pid ? -pid : undefined;
  reaper.trackProcess(group, 'SIGKILL');
  try {
    const browser = await chromium.connect(server.wsEndpoint(), { timeout: options.timeoutMs });
    const context = await browser.newContext({ viewport: options.viewport, deviceScaleFactor: 1 });
    const origin = new URL(options.url).origin;
    await context.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()));
    const page = await context.newPage();
    page.setDefaultTimeout(options.timeoutMs);
    await page.goto(options.url, { waitUntil: 'load' });
    // The page fetches its items after load; wait for the rows, or for the error the page shows instead.
    await page.waitForSelector('#items-container tr, .no-results:not(.d-none), #error-wrapper .alert');
    const error = await page.locator('#error-wrapper .alert').textContent({ timeout: 100 }).catch(() => null);
    if (error) throw new Error(`the page showed an error: ${error.trim()}`);
    const rows = await page.locator('#items-container tr').count();
    const png = await page.screenshot({ type: 'png' });
    const version = browser.version();
    await browser.close();
    return { png, browser: `Chromium ${version}`, rows, durationMs: Date.now() - started };
  } finally {
    await server.close().catch(() => server.kill());
    if (group !== undefined) {
      try {
        process.kill(group, 'SIGKILL');
      } catch {
        // the group is gone, as it should be
      }
    }
    reaper.untrackProcess(group);
  }
}
