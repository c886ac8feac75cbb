import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Where a day's report goes, relative to the output folder (the same for every publisher). */
export function reportPaths(date: string): { markdown: string; json: string } {
  const [year, month] = date.split('-');
  const base = `reports/${year}/${month}/${date}`;
  return { markdown: `${base}.md`, json: `${base}.json` };
}

/**
 * Writes a file atomically: a temporary file in the same folder, then a rename, so a reader (or a
 * crash) never sees half a report.
 */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temporary, content, 'utf8');
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
