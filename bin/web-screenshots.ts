/**
 * Regenerates the README's screenshots of the web app (docs/images/web-archive.png and
 * docs/images/web-story.png) from the shared recorded days, offline: the store of the browser test
 * (test/support/web-day.ts) is filled by the real CLI, `ai-daily serve` serves it on 127.0.0.1 and
 * Debian's Chromium, kept on loopback, takes the pictures. Needs ../shared (or SHARED_DIR),
 * /usr/bin/chromium and fonts-wqy-zenhei.
 *
 *   node --import tsx bin/web-screenshots.ts
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { launchLoopbackBrowser } from '../test/support/browser.js';
import { repoRoot, sharedMissing } from '../test/support/fixtures.js';
import { linkTargets } from '../test/support/page-audit.js';
import { buildWebStore } from '../test/support/web-day.js';
import { startServe } from '../test/support/web-serve.js';

const missing = sharedMissing();
if (missing) {
  console.error(`web-screenshots: the shared recorded days are needed, and ${missing}`);
  process.exit(1);
}

const dir = await buildWebStore();
const served = await startServe(dir);
const browser = await launchLoopbackBrowser();
try {
  const { page, blocked } = await browser.newPage({ width: 800, height: 900 });
  const shoot = async (route: string, file: string) => {
    const response = await page.goto(`${served.origin}${route}`);
    if (response?.status() !== 200) throw new Error(`${route}: ${response?.status()}`);
    await page.screenshot({ path: path.join(repoRoot, 'docs/images', file) });
    console.error(`wrote docs/images/${file} from ${route}`);
  };
  await shoot('/', 'web-archive.png');
  // The top story of the Chinese day: 量子位 and InfoQ 中文 on one announcement.
  await page.goto(`${served.origin}/reports/2026-09-23`);
  const story = (await linkTargets(page)).find((href) => href.startsWith(`${served.origin}/stories/`));
  if (!story) throw new Error('the report of 2026-09-23 links no story');
  await shoot(new URL(story).pathname + new URL(story).search, 'web-story.png');
  if (blocked.length > 0) throw new Error(`the pages asked for hosts off loopback: ${blocked.join(' ')}`);
} finally {
  await browser.close();
  await served.stop();
  rmSync(dir, { recursive: true, force: true });
}
