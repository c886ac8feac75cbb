/**
 * A store and output folder for the web app, filled by the real CLI (`bin/ai-daily.js run
 * --replay`) from the shared recorded days (so a test importing this is left out of `npm test`
 * without ../shared). Used by test/e2e/web-browser.test.ts and bin/web-screenshots.ts.
 *
 * The store holds three reports: 2026-08-22 in Chinese and in English (the recorded day: English
 * sources), and 2026-09-23 in Chinese from the 量子位 and InfoQ 中文 captures of 2026-09-22 (so a
 * Chinese search has Chinese items to find).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { dayFile } from './fixtures.js';
import { CHINESE_DAY, writeCaptureDay } from './replay-day.js';
import { runOrThrow, writeConfig } from './web-serve.js';

/** The Chinese day (test/support/replay-day.ts). */
export { CHINESE_DAY };

/** The reports the store holds after `buildWebStore`, oldest first. */
export const WEB_REPORTS = [
  { date: '2026-08-22', lang: 'zh' },
  { date: '2026-08-22', lang: 'en' },
  { date: '2026-09-23', lang: 'zh' },
] as const;

/**
 * A fresh temporary folder with `ai-daily.config.yaml` (store ./data/ai-daily.db, output ./out)
 * and the runs of WEB_REPORTS made in it; returns the folder.
 */
export async function buildWebStore(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-web-'));
  try {
    writeConfig(dir, {});
    const chinese = writeCaptureDay(dir, CHINESE_DAY);
    for (const report of WEB_REPORTS) {
      const day = report.date === CHINESE_DAY.day ? chinese : dayFile(report.date);
      await runOrThrow(['run', '--replay', day, '--lang', report.lang, '-q'], dir);
    }
    return dir;
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
