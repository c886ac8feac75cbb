import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * ../shared beside the checkout: real captures and recorded days, read by tests only and never
 * copied into the project. SHARED_DIR overrides it (CI runs a clone with shared/ beside it too).
 */
export const sharedDir = process.env.SHARED_DIR ?? path.resolve(repoRoot, '../shared');
export const realDir = path.join(sharedDir, 'fixtures/real');
export const daysDir = path.join(sharedDir, 'fixtures/days');

/** Every file under `dir`, at any depth, as full paths in name order (a folder's files where its name sorts). */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/**
 * Why the shared captures cannot be read (a clone outside this workspace has no ../shared), or
 * undefined when they can. `npm test` (test/run.ts) then leaves out the test files that read them.
 */
export function sharedMissing(): string | undefined {
  for (const dir of [realDir, daysDir]) {
    if (!existsSync(dir)) return `${dir} does not exist`;
  }
  return undefined;
}

/** A real capture as bytes, by its path under fixtures/real (e.g. "rss/openai-news_2026-08-20_trimmed.xml"). */
export function realBytes(relative: string): Buffer {
  return readFileSync(path.join(realDir, relative));
}

export function realText(relative: string): string {
  return realBytes(relative).toString('utf8');
}

export function dayFile(day: string): string {
  return path.join(daysDir, `${day}.json`);
}
