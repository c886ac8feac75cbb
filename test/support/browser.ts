/**
 * Debian's Chromium, driven by playwright-core, kept on loopback (docs: shared stack notes on
 * Chromium). Never `npx playwright install`: the browser is the system's `/usr/bin/chromium`
 * (`CHROMIUM` overrides the path), installed by `.ci/run` with a CJK font (fonts-wqy-zenhei).
 *
 * Chromium reaches out on its own even with background networking off (update and account hosts),
 * so it starts with a proxy on a loopback port where nothing listens, a resolver that maps every
 * name but 127.0.0.1 to "not found", and Playwright's own fresh profile folder; and every request a
 * page makes to a host other than 127.0.0.1 is aborted by a route and recorded, for the test to
 * assert on.
 */
import { existsSync } from 'node:fs';
import net from 'node:net';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * The `skip` option of a browser suite: a one-line reason when Chromium is missing on a
 * developer's machine; under `CI=true` never (the suite then fails, naming the missing browser).
 */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return false;
  return `${CHROMIUM} is missing (apt-get install chromium fonts-wqy-zenhei, or set CHROMIUM): browser tests skipped`;
}

/** A loopback port that nothing listens on (bound, read and released). */
async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface LoopbackBrowser {
  browser: Browser;
  /** A fresh context and page whose requests off 127.0.0.1 are aborted and recorded in `blocked`. */
  newPage(viewport?: { width: number; height: number }): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Every http(s) request the page made (before any route decided on it), in order. */
  requests: string[];
  /** The requests to a host other than 127.0.0.1: aborted, never sent. */
  blocked: string[];
  /** Dialogs (alert, confirm, prompt, beforeunload) the page tried to open: dismissed. */
  dialogs: string[];
  /** Uncaught errors of the page's scripts. */
  pageErrors: string[];
}

export async function launchLoopbackBrowser(): Promise<LoopbackBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium fonts-wqy-zenhei`);
  const proxyPort = await deadPort();
  // Playwright adds --headless and a fresh temporary --user-data-dir of its own (a user-data-dir
  // among `args` is refused), removed when the browser closes.
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-default-apps',
      '--disable-extensions',
      `--proxy-server=http://127.0.0.1:${proxyPort}`,
      '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
    ],
  });
  return {
    browser,
    async newPage(viewport = { width: 1024, height: 800 }) {
      const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
      const watched: Omit<WatchedPage, 'page'> = { context, requests: [], blocked: [], dialogs: [], pageErrors: [] };
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (new URL(url).hostname === '127.0.0.1') return route.continue();
        watched.blocked.push(url);
        return route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      page.on('request', (request) => {
        if (/^(?:https?|wss?):/.test(request.url())) watched.requests.push(request.url());
      });
      page.on('dialog', (dialog) => {
        watched.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        dialog.dismiss().catch(() => {});
      });
      page.on('pageerror', (error) => watched.pageErrors.push(error.message));
      return { page, ...watched };
    },
    close: () => browser.close(),
  };
}
