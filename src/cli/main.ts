/**
 * The command line: every command is declared here with its description and options only; its
 * module is loaded inside its action (`await import('./commands/x.js')`). So `--help`, `--version`
 * and a usage error load commander and a few light core modules, never the store, the pipeline, the
 * AI SDK or a parser (test/e2e/cli-startup.test.ts checks which modules `--help` loads). A new
 * command follows the same pattern: options here, work in src/cli/commands/<name>.ts, imported in
 * the action; types come in with `import type` (erased, so they load nothing).
 */
import { Command, CommanderError, Option } from 'commander';
import { REQUESTED_MODES, type RequestedMode } from '../analyze/analyzer.js';
import type { RunSummary } from '../app/daily-run.js';
import {
  ConfigError,
  errorMessage,
  FetchError,
  NothingToReportError,
  OutputError,
  PublishError,
  ReportsFailedError,
  RunLockedError,
  StoreError,
} from '../core/errors.js';
import { redact } from '../core/redact.js';
import { DEFAULT_REPORT_ID } from '../core/report.js';
import { VERSION } from '../core/version.js';
import { createStderrLogger, type Verbosity } from './logger.js';

/**
 * Exit codes: they mean something, and only this file exits. 4: another run of the same day,
 * language and output folder is in progress (try again later, or pass --wait).
 */
export const EXIT = { ok: 0, failure: 1, usage: 2, nothingToReport: 3, runLocked: 4 } as const;

interface GlobalFlags {
  config?: string;
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

function verbosity(flags: GlobalFlags): Verbosity {
  if (flags.quiet) return 'quiet';
  if (flags.verbose) return 'verbose';
  return 'normal';
}

function printJson(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function buildProgram(): Command {
  const program = new Command('ai-daily')
    .description('A trustworthy daily report on what happened in AI, with a source for every statement.')
    .version(VERSION)
    .option('-c, --config <file>', 'config file (default: ai-daily.config.yaml if present)')
    .option('--json', 'print a machine-readable summary on stdout')
    .option('-v, --verbose', 'more detail on stderr')
    .option('-q, --quiet', 'only errors on stderr')
    .showHelpAfterError()
    .exitOverride();

  const globals = () => program.opts<GlobalFlags>();
  const base = () => ({ config: globals().config, log: createStderrLogger(verbosity(globals())) });

  program
    .command('collect')
    .description('fetch every enabled source into the store')
    .option('--replay <file>', 'answer every request from a recorded day (its "now" becomes the clock)')
    .option('--record <dir>', 'save every response of this live run, for --replay later')
    .option('--only <ids>', 'comma-separated source ids')
    .action(async (options: { replay?: string; record?: string; only?: string }) => {
      const { collectCommand } = await import('./commands/collect.js');
      const result = await collectCommand({
        ...base(),
        replay: options.replay,
        record: options.record,
        only: options.only?.split(',').map((s) => s.trim()),
      });
      if (globals().json) printJson(result);
    });

  const addReportOptions = (command: Command) =>
    command
      .option('--date <YYYY-MM-DD>', 'report date (default: today in the configured time zone)')
      .option('--out <dir>', 'output folder (default: output.dir of the config)')
      .option('--report <id>', 'only this report of the config (reports:); default: every report')
      .option('--wait <seconds>', 'wait up to this long for another run of the same day to finish (default 0)')
      .addOption(new Option('--lang <lang>', 'report language').choices(['zh', 'en']))
      .addOption(
        new Option('--mode <mode>', 'analysis mode (auto: llm when an LLM is configured, else extractive)')
          .choices(REQUESTED_MODES)
          .default('auto'),
      );

  addReportOptions(
    program
      .command('run')
      .description('collect, then write the report (the whole pipeline)')
      .option('--replay <file>', 'answer every request from a recorded day (its "now" becomes the clock)')
      .option('--record <dir>', 'save every response of this live run, for --replay later')
      .option(
        '--distributed',
        'queue the sources for `ai-daily worker` processes (PostgreSQL store), then write the report',
      )
      .option('--deadline <seconds>', 'with --distributed: wait this long for the workers; sources still pending fail'),
  ).action(
    async (options: {
      replay?: string;
      record?: string;
      date?: string;
      out?: string;
      lang?: 'zh' | 'en';
      mode?: RequestedMode;
      wait?: string;
      report?: string;
      distributed?: boolean;
      deadline?: string;
    }) => {
      const { runReportsCommand } = await import('./commands/run.js');
      const { deadline, ...rest } = options;
      await printRunSummaries(() =>
        runReportsCommand({
          ...base(),
          ...rest,
          waitMs: waitMs(options.wait),
          deadlineMs: seconds('--deadline', deadline),
        }),
      );
    },
  );

  addReportOptions(program.command('report').description('write the report again from the stored items')).action(
    async (options: {
      date?: string;
      out?: string;
      lang?: 'zh' | 'en';
      mode?: RequestedMode;
      wait?: string;
      report?: string;
    }) => {
      const { reportsCommand } = await import('./commands/run.js');
      await printRunSummaries(() => reportsCommand({ ...base(), ...options, waitMs: waitMs(options.wait) }));
    },
  );

  /**
   * `--json`: the summary of the one report of a config without `reports:` (as before reports
   * existed), else an array with one entry per report, each naming its `report`: its summary, or
   * `{ report, error }` for a report that failed while the others were written (the command then
   * exits with the first failure's code).
   */
  const printRunSummaries = async (make: () => Promise<RunSummary[]>) => {
    let results: RunSummary[];
    let failed: ReportsFailedError<RunSummary> | undefined;
    try {
      results = await make();
    } catch (error) {
      if (!(error instanceof ReportsFailedError)) throw error;
      failed = error as ReportsFailedError<RunSummary>;
      results = failed.written;
    }
    const single = failed === undefined && results.length === 1 && results[0]?.report === DEFAULT_REPORT_ID;
    if (globals().json) {
      const failures = (failed?.failures ?? []).map(({ report, error }) => ({
        report,
        error: redact(errorMessage(error)),
      }));
      printJson(single ? results[0] : [...results, ...failures]);
    }
    for (const result of results) {
      reportFailedChannels(result.date, result.language, result.publish?.channels, result.report);
    }
    if (failed) throw failed;
  };

  program
    .command('publish')
    .description('publish a report written earlier again: git, then every channel that has not got it (never twice)')
    .option('--date <YYYY-MM-DD>', 'report date (default: today in the configured time zone)')
    .option('--out <dir>', 'output folder (default: output.dir of the config)')
    .option('--report <id>', 'the report of the config (reports:) to publish; needed when it has several')
    .option(
      '--redeliver',
      'post again to channels an earlier run left in an unknown state (a crash while posting, or a post never answered)',
    )
    .option('--wait <seconds>', 'wait up to this long for a run of the same day to finish (default 0)')
    .addOption(new Option('--lang <lang>', 'report language').choices(['zh', 'en']))
    .action(
      async (options: {
        date?: string;
        out?: string;
        redeliver?: boolean;
        wait?: string;
        lang?: 'zh' | 'en';
        report?: string;
      }) => {
        const { publishCommand } = await import('./commands/publish.js');
        // One report at a time: --report names it when the config has several.
        const result = await publishCommand({ ...base(), ...options, waitMs: waitMs(options.wait) });
        if (globals().json) printJson(result);
        reportFailedChannels(result.date, result.language, result.channels, result.report);
      },
    );

  program
    .command('worker')
    .description('collect the sources that `run --distributed` queues, until stopped (PostgreSQL store)')
    .option('--concurrency <n>', 'sources collected at once (default: workers.concurrency)')
    .option('--replay <file>', 'answer every request from a recorded day (tests, benchmarks)')
    .action(async (options: { concurrency?: string; replay?: string }) => {
      const { parseConcurrency, workerCommand } = await import('./commands/worker.js');
      const result = await workerCommand({
        ...base(),
        replay: options.replay,
        concurrency: parseConcurrency(options.concurrency),
      });
      if (globals().json) printJson(result);
    });

  program
    .command('schedule')
    .description('run the pipeline on schedule.cron until stopped, catching up missed days on start')
    .option('--catch-up-only', 'make the missed days (schedule.catchUp.days) and exit')
    .option('--replay <file>', 'with --catch-up-only: answer every request from a recorded day')
    .option('--out <dir>', 'output folder (default: output.dir of the config)')
    .option('--wait <seconds>', 'how long a run waits for a manual run of the same day (default 600)')
    .addOption(new Option('--lang <lang>', 'only this language (default: schedule.languages)').choices(['zh', 'en']))
    .addOption(new Option('--mode <mode>', 'analysis mode').choices(REQUESTED_MODES).default('auto'))
    .action(
      async (options: {
        catchUpOnly?: boolean;
        replay?: string;
        out?: string;
        wait?: string;
        lang?: 'zh' | 'en';
        mode?: RequestedMode;
      }) => {
        const { scheduleCommand } = await import('./commands/schedule.js');
        const result = await scheduleCommand({ ...base(), ...options, waitMs: waitMs(options.wait) });
        if (globals().json) printJson(result);
        // A long-running scheduler stopped by a signal ends normally; a catch-up that failed does not.
        if (options.catchUpOnly && result.runs.some((r) => r.status === 'failed')) process.exitCode = EXIT.failure;
      },
    );

  program
    .command('serve')
    .description('the web app over the store and the reports: archive, stories, search, sources, runs (reads only)')
    .option('--port <port>', 'port to listen on (0: any free port; default: serve.port, 8080)')
    .option('--host <host>', 'address to listen on (default: serve.host, 127.0.0.1; any other needs serve.token)')
    .option('--out <dir>', 'output folder the reports were written to (default: output.dir of the config)')
    .action(async (options: { port?: string; host?: string; out?: string }) => {
      const { serveCommand } = await import('./commands/serve.js');
      const result = await serveCommand({
        ...base(),
        host: options.host,
        out: options.out,
        port: portOption(options.port),
      });
      if (globals().json) printJson(result);
    });

  const sources = program.command('sources').description('list and test sources');
  sources
    .command('list')
    .description('every configured source, with its health')
    .action(async () => {
      const { formatSourceList, sourcesListCommand } = await import('./commands/sources.js');
      const entries = await sourcesListCommand(base());
      if (globals().json) printJson(entries);
      else process.stdout.write(formatSourceList(entries));
    });
  sources
    .command('test <id>')
    .description('fetch one source now and show a sample of what it gives')
    .option('--replay <file>', 'answer from a recorded day')
    .action(async (id: string, options: { replay?: string }) => {
      const { sourcesTestCommand } = await import('./commands/sources.js');
      const result = await sourcesTestCommand(id, { ...base(), replay: options.replay });
      if (globals().json) printJson(result);
      else {
        process.stdout.write(
          `${result.id}: ${result.status}${result.errorKind ? ` (${result.errorKind}: ${result.error})` : ''}, ${result.items} item(s)\n`,
        );
        for (const line of result.sample) process.stdout.write(`  ${line}\n`);
      }
      if (result.status === 'failed') process.exitCode = EXIT.failure;
    });

  program
    .command('doctor')
    .description(
      'check the LLM provider (one small call), the git remote and each delivery channel, without publishing or posting',
    )
    .action(async () => {
      const { doctorCommand, formatDoctor } = await import('./commands/doctor.js');
      const result = await doctorCommand(base());
      if (globals().json) printJson(result);
      else process.stdout.write(formatDoctor(result));
      if (!result.ok) process.exitCode = EXIT.failure;
    });

  program
    .command('init')
    .description('write a commented ai-daily.config.yaml')
    .option('--force', 'overwrite an existing file')
    .option(
      '--github-actions',
      'also write .github/workflows/ai-daily.yml: a daily run that publishes through publish.git',
    )
    .action(async (options: { force?: boolean; githubActions?: boolean }) => {
      const { initCommand } = await import('./commands/init.js');
      const result = initCommand({
        file: globals().config,
        force: options.force,
        githubActions: options.githubActions,
      });
      const log = createStderrLogger(verbosity(globals()));
      for (const file of result.written) log.info(`wrote ${file}`);
      for (const warning of result.warnings) log.warn(warning);
    });

  return program;
}

/**
 * Channels that failed, or that this run posted to without an answer: the report is written and
 * published elsewhere, so the command ends its work, names each on stderr and exits 1. `ai-daily
 * publish` tries the failed ones again; an unanswered one may have been posted, so only
 * `--redeliver` posts it again.
 */
function reportFailedChannels(
  date: string,
  language: string,
  outcomes: readonly { channel: string; status: string; detail: string; errorKind?: string }[] | undefined,
  report: string = DEFAULT_REPORT_ID,
): void {
  const which = report === DEFAULT_REPORT_ID ? '' : ` --report ${report}`;
  const failed = (outcomes ?? []).filter((outcome) => outcome.status === 'failed');
  const unanswered = (outcomes ?? []).filter((outcome) => outcome.errorKind === 'unanswered');
  if (failed.length === 0 && unanswered.length === 0) return;
  for (const outcome of [...failed, ...unanswered])
    process.stderr.write(`ai-daily: deliver: ${outcome.channel}: ${redact(outcome.detail)}\n`);
  if (failed.length > 0) {
    process.stderr.write(
      `ai-daily: ${failed.length} channel(s) did not get the report; \`ai-daily publish --date ${date} --lang ${language}${which}\` tries them again\n`,
    );
  }
  if (unanswered.length > 0) {
    process.stderr.write(
      `ai-daily: ${unanswered.length} channel(s) got the post but never answered, so it may have arrived: check them; it is not posted again unless you run \`ai-daily publish --date ${date} --lang ${language}${which} --redeliver\`\n`,
    );
  }
  process.exitCode = EXIT.failure;
}

/** `--wait <seconds>` in ms; anything but a number of seconds (0 or more) is a usage error. */
function waitMs(value: string | undefined): number | undefined {
  return seconds('--wait', value);
}

/** A number of seconds (0 or more) in ms; anything else is a usage error naming the option. */
function seconds(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < 0) {
    throw new ConfigError(`${option}: expected a number of seconds (0 or more), got "${value}"`);
  }
  return Math.round(number * 1000);
}

/** `--port <n>`: an integer 0-65535, else a usage error. */
function portOption(port: string | undefined): number | undefined {
  if (port === undefined) return undefined;
  const value = Number(port);
  if (!/^\d+$/.test(port.trim()) || value > 65_535) {
    throw new ConfigError(`--port: expected a port number 0-65535, got "${port}"`);
  }
  return value;
}

/** Maps an error to its exit code and a message on stderr. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof ReportsFailedError) return exitCodeFor(error.failures[0]?.error);
  if (error instanceof ConfigError) return EXIT.usage;
  if (error instanceof NothingToReportError) return EXIT.nothingToReport;
  if (error instanceof RunLockedError) return EXIT.runLocked;
  return EXIT.failure;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (error) {
    const code = exitCodeFor(error);
    if (!(error instanceof CommanderError)) {
      const prefix =
        error instanceof FetchError ||
        error instanceof StoreError ||
        error instanceof PublishError ||
        error instanceof OutputError
          ? `${error.kind}: `
          : '';
      process.stderr.write(`ai-daily: ${prefix}${redact(errorMessage(error))}\n`);
      if (code === EXIT.failure && process.env.AI_DAILY_DEBUG && error instanceof Error) {
        process.stderr.write(`${redact(error.stack ?? '')}\n`);
      }
    }
    return code;
  }
}
