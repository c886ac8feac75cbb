import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { configTemplate } from '../../config/template.js';
import { ConfigError } from '../../core/errors.js';

/** `ai-daily init`: writes a commented config; never overwrites one without --force. */
export function initCommand(options: { cwd?: string; file?: string; force?: boolean }): string {
  const file = path.resolve(options.cwd ?? process.cwd(), options.file ?? DEFAULT_CONFIG_FILE);
  if (existsSync(file) && !options.force) {
    throw new ConfigError(`${path.basename(file)} already exists (use --force to overwrite it)`);
  }
  writeFileSync(file, configTemplate(), 'utf8');
  return file;
}
