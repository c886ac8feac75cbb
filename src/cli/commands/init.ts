import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { githubWorkflow, workflowSettings } from '../../config/github-workflow.js';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { configTemplate } from '../../config/template.js';
import { ConfigError } from '../../core/errors.js';

/** Where `init --github-actions` writes the workflow, relative to the working folder (the repository root). */
export const WORKFLOW_FILE = '.github/workflows/ai-daily.yml';

export interface InitOptions {
  cwd?: string;
  file?: string;
  force?: boolean;
  /** Also write the GitHub Actions workflow (and the config, if absent, set up for it). */
  githubActions?: boolean;
  /** The clock that dates the time-zone offset of the workflow's UTC cron (tests). */
  now?: Date;
}

export interface InitResult {
  /** Files written (absolute). */
  written: string[];
  /** What the user should know (a schedule that could not be converted, no git publisher). */
  warnings: string[];
}

/** `ai-daily init`: writes a commented config; never overwrites one without --force. */
export function initCommand(options: InitOptions): InitResult {
  const cwd = options.cwd ?? process.cwd();
  const file = path.resolve(cwd, options.file ?? DEFAULT_CONFIG_FILE);
  if (!options.githubActions) {
    refuseOverwrite(file, options.force);
    writeFileSync(file, configTemplate(), 'utf8');
    return { written: [file], warnings: [] };
  }

  // --github-actions: the workflow, plus the config when there is none (an existing one is read, kept).
  const workflow = path.resolve(cwd, WORKFLOW_FILE);
  refuseOverwrite(workflow, options.force);
  const configExists = existsSync(file);
  const configText = configExists ? readFileSync(file, 'utf8') : configTemplate({ githubActions: true });
  const settings = workflowSettings(configText, path.relative(cwd, file));
  // A new config refers to no secret yet: pass those its commented examples name.
  if (!configExists) settings.secretNames = workflowSettings(undefined).secretNames;
  const { text, warnings } = githubWorkflow(settings, options.now ?? new Date());
  const written: string[] = [];
  if (!configExists) {
    writeFileSync(file, configText, 'utf8');
    written.push(file);
  }
  mkdirSync(path.dirname(workflow), { recursive: true });
  writeFileSync(workflow, text, 'utf8');
  written.push(workflow);
  return { written, warnings };
}

function refuseOverwrite(file: string, force: boolean | undefined): void {
  if (existsSync(file) && !force) {
    throw new ConfigError(`${path.basename(file)} already exists (use --force to overwrite it)`);
  }
}
