/**
 * The daily run as one function: collect (optional) → select stories → analyze → render → gate →
 * publish, each stage checkpointed in the store so that a crashed run resumes. The CLI calls it;
 * a scheduler, workers or a web UI can call it the same way with their own RunContext.
 */
import path from 'node:path';
import type { AnalysisMode, Analyzer, RequestedMode } from '../analyze/analyzer.js';
import { isDataItem } from '../analyze/data-sections.js';
import { renderDemoFile } from '../analyze/demo/index.js';
import { type AnalyzerServices, createAnalyzer } from '../analyze/registry.js';
import { termHistory } from '../analyze/term-history.js';
import { countTerms } from '../analyze/terms.js';
import type { Config } from '../config/load.js';
import { reportConfig } from '../config/report-config.js';
import { ConfigError, errorMessage, NothingToReportError } from '../core/errors.js';
import { sourceSentenceRefusal } from '../core/hygiene.js';
import type { Logger } from '../core/log.js';
import {
  DEFAULT_REPORT_ID,
  type DemoAbsence,
  type LlmReportInfo,
  type Report,
  type ReportDemo,
} from '../core/report.js';
import type { DayTerms, ReportInput, ReportWindow, RunManifest, SourceOutcome, StageCounts } from '../core/run.js';
import { withoutEnvironmentValues } from '../core/source-text.js';
import type { Item, PipelineItem, SourceConfig, SourceKind, Story } from '../core/types.js';
import { VERSION } from '../core/version.js';
import { AUTO_SAMPLE_ITEMS, topicFilter } from '../pipeline/classify.js';
import { clusterItems } from '../pipeline/cluster.js';
import { joinDigestLeads } from '../pipeline/digest.js';
import { keptStories, storyMemory } from '../pipeline/memory.js';
import { pipelineItem } from '../pipeline/normalize.js';
import { engagementBaselines, rankedStories, snapshotSources } from '../pipeline/rank.js';
import { chooseTopStories, ordinaryPapers, promotionalStories, selectStories } from '../pipeline/select.js';
import { inWindow, reportWindow, windowQueryRange } from '../pipeline/window.js';
import { publishFiles, reportPaths } from '../publish/files.js';
import { checkReport } from '../render/quality-gate.js';
import { renderAll } from '../render/registry.js';
import { toStoreError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { type CollectSummary, failureHint } from './collect.js';
import type { RunContext } from './context.js';
import { enrichSelectedStories } from './enrich.js';
import { checkOutputFolder } from './output-folder.js';
import { type PublishSummary, publishingConfigured, publishReport } from './publish-report.js';
import { acquireRunLock } from './run-lock.js';
import { siteEntriesWith, siteFiles } from './site-files.js';
import { StageRunner } from './stages.js';

export interface ReportOptions {
  /**
   * Which of the config's reports (src/config/reports.ts) to write; absent → its only one (or
   * `default`). A config without `reports:` has one, `default`.
   */
  report?: string;
  /** YYYY-MM-DD; default: the run time's date in the configured time zone. */
  date?: string;
  /** Output folder; default: the config's output.dir. A report other than `default` writes to its folder inside it. */
  out?: string;
  lang?: 'zh' | 'en';
  /** Analysis mode; default `auto` (llm when configured, else extractive). */
  mode?: RequestedMode;
}

export interface DailyRunOptions extends ReportOptions {
  /**
   * Collects the sources (the `collect` stage) with the run's id; absent → the report is written
   * from what the store holds and nothing is fetched.
   */
  collect?: (runId: string) => Promise<CollectSummary>;
  /** How long to wait for another run of the same day, language and output folder (default 0). */
  waitMs?: number;
}

/** What `run --json` and `report --json` print (one per report). */
export interface RunSummary {
  /** The report's id (src/config/reports.ts): `default` for a config without `reports:`. */
  report: string;
  /** Its folder under the output folder (`''`: the output folder itself); the paths below are relative to it. */
  folder: string;
  date: string;
  language: 'zh' | 'en';
  mode: AnalysisMode;
  /** Paths relative to the output folder. */
  markdown: string;
  json: string;
  html: string;
  /** Every file the run wrote and published, relative to the output folder: the report's, index, feeds, demo. */
  files: string[];
  /** What publishing did, when `publish` is configured: publishers' outcomes and each channel's delivery. */
  publish?: PublishSummary;
  counts: StageCounts;
  sources: { total: number; ok: number; failed: number; failedIds: string[] };
  resumed: boolean;
  /** LLM mode: who wrote each piece and why not the model where it did not; every dropped sentence (the report's `llm`). */
  llm?: LlmReportInfo;
  /** LLM mode without a demo: why there is none. */
  demoAbsence?: DemoAbsence;
}

/** The selection that the "stories" stage checkpoints. */
interface SelectionOutput {
  window: ReportWindow;
  stories: Story[];
  /** Ids of the top stories, chosen for diversity among `stories`, best first. */
  topStoryIds: string[];
  itemIds: string[];
  counts: StageCounts;
  /** Source kinds with at least one item in the window. */
  kindsInWindow: SourceKind[];
  knownUrls: string[];
  todayTerms: DayTerms;
  history: DayTerms[];
  /** In-window items that data sections count (stars, likes, points), selected or not. */
  dataItemIds?: string[];
}

/** Writes the day's report (collecting first when `options.collect` is given). */
export async function runDaily(context: RunContext, options: DailyRunOptions): Promise<RunSummary> {
  checkDateOption(options.date);
  const started = performance.now();
  const { store, log } = context;
  // The config as this report sees it: its sources, topics, language, title and channels.
  const { config, definition } = reportConfig(context.config, options.report);
  const language = options.lang ?? config.language;
  let currentRunId: string | undefined;
  const analyzer = analyzerFor(config, options.mode, {
    llm: {
      store,
      runId: () => currentRunId,
      ...(context.llm?.replayAnswers ? { replayAnswers: context.llm.replayAnswers } : {}),
      ...(context.llm?.fetch ? { fetch: context.llm.fetch } : {}),
      ...(context.llm?.checkUrl ? { checkUrl: context.llm.checkUrl } : {}),
      onCall: (event) => {
        const line = `llm ${event.part}: ${event.outcome}${event.error ? ` (${event.error})` : ''}`;
        if (event.outcome === 'error' || event.outcome === 'invalid-output') log.warn(line);
        else log.debug(line);
      },
      onRetry: (event) => log.info(`llm: ${event.reason}; retry ${event.attempt} in ${event.waitMs} ms`),
      onDemoProblem: (detail) => log.warn(`llm demo: ${detail}`),
      onFinished: (caller) => {
        const s = caller.stats;
        log.info(
          `llm: ${s.calls} call(s), ${s.cacheHits} from the cache, ${s.replayed} replayed, ${s.failures} part(s) failed; ${s.inputTokens} tokens in, ${s.outputTokens} out, cost ${s.cost.toFixed(4)}`,
        );
        context.llm?.recordAnswers?.(caller.answers);
      },
    },
  });
  const mode = analyzer.mode;
  const window = checkedReportWindow(context, config.window.hours, options.date);
  const outDir = path.resolve(context.cwd, options.out ?? config.output.dir, definition.output);
  const enabled = config.sources.filter((s) => s.enabled);
  /** Only a live collect can blame the network; a replay or a report from the store fetched nothing. */
  const fetchedLive = options.collect !== undefined && !context.replayed;

  // Fail fast: the output folder must take files before anything is collected.
  checkOutputFolder(outDir);
  const lock = await acquireRunLock(outDir, { date: window.date, language }, { waitMs: options.waitMs });
  try {
    return await runLocked();
  } finally {
    lock.release();
  }

  async function runLocked(): Promise<RunSummary> {
    const runKey = JSON.stringify({
      // The default report keeps the key it had before reports had ids, so that its runs resume.
      ...(definition.id === DEFAULT_REPORT_ID ? {} : { report: definition.id }),
      date: window.date,
      language,
      mode,
      outDir,
      collect: options.collect !== undefined,
    });
    const handle = await store.beginRun(runKey, window.date, context.now);
    currentRunId = handle.id;
    const stages = new StageRunner(store, handle, () => context.now, log);
    if (handle.resumed) log.info(`resuming the unfinished run for ${window.date}`);

    try {
      const collect = options.collect;
      const outcomes: SourceOutcome[] = collect
        ? (await stages.stage('collect', () => collect(stages.runId))).sources
        : await store.latestOutcomes(window.end);

      const selection = await stages.stage('stories', () =>
        selectStoriesForDay(store, config, definition.id, enabled, window, log),
      );
      const items = await loadItems(store, selection.itemIds, enabled);

      const sources = sortOutcomes(outcomes, enabled);
      const manifest: RunManifest = {
        window: selection.window,
        mode,
        sources: sources.map(({ itemsNew: _new, itemsSeen: _seen, ...s }) => ({
          ...s,
          elapsedMs: context.replayed ? null : Math.round(s.elapsedMs),
        })),
        counts: selection.counts,
        emptyKinds: emptyKinds(sources, selection.kindsInWindow),
        durationMs: context.replayed ? null : Math.round(performance.now() - started),
        version: VERSION,
      };
      if (selection.stories.length === 0) {
        const failed = manifest.sources.filter((s) => s.status === 'failed').length;
        throw new NothingToReportError(`nothing to report for ${window.date}: no stories in the window`, [
          `${selection.counts.inWindow} item(s) published between ${window.start} and ${window.end}`,
          outcomes.length === 0 && !options.collect
            ? 'nothing was collected before this window ended: run `ai-daily collect` or `ai-daily run` first'
            : `${failed} of ${manifest.sources.length} source(s) failed${
                failed === manifest.sources.length && manifest.sources.length > 0
                  ? ` — ${failureHint(manifest.sources, fetchedLive)}`
                  : ''
              }`,
          ...(selection.counts.alreadyReported > 0
            ? [`${selection.counts.alreadyReported} story(ies) were reported on earlier days and gained no source`]
            : []),
        ]);
      }

      // Article text for thin stories (src/app/enrich.ts): pages cached in the store, fetched
      // through the run's transport (recorded/replayed), never fatal. Without a collect it uses the cache only.
      const enrichedItems = await enrichSelectedStories({
        config: options.collect ? config : { ...config, enrich: { ...config.enrich, maxPages: 0 } },
        transport: context.transport,
        cache: store,
        now: context.now,
        log,
        stories: selection.stories,
        items,
      });

      const input: ReportInput = {
        window: selection.window,
        language,
        title: config.report.title,
        author: config.report.author,
        stories: selection.stories,
        topStoryIds: selection.topStoryIds,
        items: enrichedItems,
        dataItems: await loadItems(store, selection.dataItemIds ?? [], enabled),
        todayTerms: selection.todayTerms,
        history: selection.history,
        manifest,
      };
      const analysed = await analyzer.analyze(input);
      // A demo of a report in another language than the configured one is named like its report
      // (`demo_YYYYMMDD.en.py`), so both languages of a day publish side by side.
      const named =
        analysed.demo && language !== config.language
          ? { ...analysed, demo: { ...analysed.demo, path: analysed.demo.path.replace(/\.py$/, `.${language}.py`) } }
          : analysed;
      // A value of this machine's environment in a text (a source's title, say) is replaced in
      // that text, never published and never the day's end (src/core/source-text.ts).
      const { report, redactions } = withoutEnvironmentValues(named, process.env);
      for (const { variable, texts } of redactions) {
        log.warn(
          `the value of environment variable ${variable} was in ${texts} text(s) of the report: replaced by ***`,
        );
      }
      const { markdown, json, html } = renderAll(report);
      const paths = reportPaths(window.date, language, config.language);
      // The demo that ran, published with the report (all or nothing); the file is rendered from the report.
      const demo = report.demo ? demoFile(report.demo, context.now) : undefined;

      // The index and feeds of every report in the folder, this one included (docs/decisions/0140).
      const site = siteFiles(
        siteEntriesWith(outDir, paths.json, json, config.language, (message) => log.warn(message)),
        {
          language: config.language,
          ...(config.report.title === undefined ? {} : { title: config.report.title }),
          ...(config.output.siteUrl === undefined ? {} : { siteUrl: config.output.siteUrl }),
        },
      );

      const problems = checkReport({
        report,
        markdown,
        json,
        html,
        site,
        outputPaths: [paths.markdown, paths.json, paths.html, ...(demo ? [demo.path] : [])],
        knownUrls: new Set(selection.knownUrls),
        window: selection.window,
        env: process.env,
      });
      if (problems.length > 0) {
        throw new NothingToReportError('the quality gate refused the report; nothing was written', problems);
      }

      await stages.stage('publish', async () => {
        const outputs = [
          { path: paths.markdown, content: markdown },
          { path: paths.json, content: json },
          { path: paths.html, content: html },
          ...site,
          ...(demo ? [demo] : []),
        ];
        publishFiles(outDir, outputs);
        await store.saveReport({
          report: definition.id,
          date: window.date,
          language,
          mode,
          generatedAt: window.end,
          // Relative to the deployment's output folder: a report's own folder leads its paths.
          markdownPath: path.posix.join(definition.output, paths.markdown),
          jsonPath: path.posix.join(definition.output, paths.json),
          manifest,
          stories: asPublished(selection.stories, report),
        });
        return { markdown: paths.markdown, json: paths.json };
      });
      log.info(
        `wrote ${paths.markdown}, ${paths.json} and ${paths.html}${demo ? ` and ${demo.path}` : ''} (${selection.stories.length} stories); index and feeds updated`,
      );
      // Publishing runs on every run, resumed or not: git and the delivery ledger make it idempotent.
      // A publisher's failure fails the run (a re-run publishes again); failed channels are reported.
      const files = [
        paths.markdown,
        paths.json,
        paths.html,
        ...site.map((file) => file.path),
        ...(demo ? [demo.path] : []),
      ];
      const published = publishingConfigured(config)
        ? await publishReport(
            {
              config,
              store,
              log,
              reportId: definition.id,
              ...(context.channelContext ? { channelContext: context.channelContext } : {}),
            },
            { outDir, date: window.date, language, report, markdown, html, htmlPath: paths.html, files },
          )
        : undefined;
      await store.finishRun(handle.id, 'done', context.now);

      const failed = manifest.sources.filter((s) => s.status === 'failed');
      return {
        report: definition.id,
        folder: definition.output,
        date: window.date,
        language,
        mode,
        markdown: paths.markdown,
        json: paths.json,
        html: paths.html,
        files,
        ...(published ? { publish: published } : {}),
        counts: selection.counts,
        sources: {
          total: manifest.sources.length,
          ok: manifest.sources.length - failed.length,
          failed: failed.length,
          failedIds: failed.map((s) => s.id),
        },
        resumed: handle.resumed,
        ...(report.llm ? { llm: report.llm } : {}),
        ...(report.demoAbsence ? { demoAbsence: report.demoAbsence } : {}),
      };
    } catch (caught) {
      const error = toStoreError(caught, store.file);
      try {
        await store.finishRun(handle.id, 'failed', context.now, errorMessage(error));
      } catch {
        // The store itself failed: the error below says so; the run stays unfinished and resumes.
      }
      throw error;
    }
  }
}

/** The published demo file of a report's demo: its header and code, as it ran (src/analyze/demo/). */
export function demoFile(demo: ReportDemo, checkedAt: Date): { path: string; content: string } {
  const content = renderDemoFile(
    { section: demo.section, title: demo.storyTitle, url: demo.url },
    { code: demo.code, shows: demo.shows },
    { exitCode: 0, stdout: demo.output, commands: demo.commands, limits: demo.limits },
    checkedAt,
  );
  return { path: demo.path, content };
}

/** A malformed `--date` is a usage error, found before anything is opened or written. */
export function checkDateOption(date: string | undefined): void {
  if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw new ConfigError(`--date: expected YYYY-MM-DD, got "${date}"`);
  }
}

/** The report window; an impossible or future `--date` is a usage error (exit 2), not a failure. */
function checkedReportWindow(context: RunContext, hours: number, date: string | undefined): ReportWindow {
  try {
    return reportWindow(context.now, context.timezone, hours, date);
  } catch (error) {
    if (error instanceof RangeError) throw new ConfigError(`--date: ${error.message}`);
    throw error;
  }
}

/** Days back from the window's end over which `filterTopics: auto` measures a source. */
const AUTO_TOPIC_DAYS = 30;

/**
 * The newest stored items of each `filterTopics: auto` source (at most AUTO_SAMPLE_ITEMS, newest
 * first, then by id): what it published over the last AUTO_TOPIC_DAYS. One query per source, so
 * that a source's whole month is never read to keep its newest hundred.
 */
async function recentItemsOfAutoSources(
  store: Store,
  sources: SourceConfig[],
  window: ReportWindow,
): Promise<Map<string, Item[]>> {
  const bySource = new Map<string, Item[]>();
  const from = new Date(Date.parse(window.end) - AUTO_TOPIC_DAYS * 86_400_000).toISOString();
  for (const source of sources) {
    if (source.filterTopics !== 'auto') continue;
    const items = await store.latestItems(source.id, AUTO_SAMPLE_ITEMS, { start: from, end: window.end });
    // A source with nothing stored has no entry: the topic filter then looks at its window's items.
    if (items.length > 0) bySource.set(source.id, items);
  }
  return bySource;
}

/** Recent stored items per source that set its engagement standards and show whether it is a list. */
const RECENT_ITEMS_PER_SOURCE = 200;

/** Window → topic filter → cluster → rank/classify → cross-day memory → select. */
async function selectStoriesForDay(
  store: Store,
  config: Config,
  reportId: string,
  sources: SourceConfig[],
  window: ReportWindow,
  log: Logger,
): Promise<SelectionOutput> {
  const sourceIds = sources.map((s) => s.id);
  const storedCount = await store.countItems(sourceIds);
  const range = windowQueryRange(window);
  const stored = await store.itemsPublishedBetween(range.from, range.to, sourceIds);
  const inside = toPipelineItems(
    stored.filter((item) => inWindow(item, window)),
    sources,
  );
  // A title that tells the reader, the writer or an AI what to do (or carries a URL, an email
  // address or a command) is no news: the item never becomes a story, a headline or a link.
  const honest = inside.filter((item) => sourceSentenceRefusal(item.title, { title: true }) === undefined);
  if (honest.length < inside.length) {
    log.info(`${inside.length - honest.length} item(s) dropped: the title is an instruction, not news`);
  }
  const recentBySource = await recentItemsOfAutoSources(store, sources, window);
  const topicResult = topicFilter(honest, sources, config.topics, recentBySource);
  const onTopic = topicResult.kept;
  const byId = new Map(onTopic.map((item) => [item.id, item]));
  // A digest whose lead headline is a story of the day joins that story (pipeline/digest).
  const clusters = joinDigestLeads(clusterItems(onTopic), byId);
  // Each source's recent items: its own engagement standards, and whether it is a snapshot list.
  const recent: Item[] = [...stored];
  for (const sourceId of sourceIds) recent.push(...(await store.latestItems(sourceId, RECENT_ITEMS_PER_SOURCE)));
  // Stories are classified and scored as selection reads them (pipeline/rank rankedStories).
  const ranking = rankedStories(clusters, byId, {
    now: new Date(window.end),
    windowHours: window.hours,
    topics: config.topics,
    weights: config.ranking.weights,
    baselines: engagementBaselines(recent),
    snapshots: snapshotSources(sources, recent),
  });
  // The cross-day memory is the report's own: another report's stories are news to this one.
  // Each story of a date once, whatever languages the report was written in that day.
  const published = await store.publishedStoriesBefore(window.date, undefined, reportId, config.language);
  const memory = storyMemory(published);
  let repeated = 0;
  for (const outline of ranking.outlines()) if (memory(outline) === 'repeated') repeated++;
  const { selected } = selectStories(keptStories(ranking, memory), {
    maxStories: config.report.maxStories,
    sectionCaps: config.report.sectionCaps,
    defaultSectionCap: config.report.defaultSectionCap,
    maxPerFamilyInSection: config.ranking.sectionMaxPerFamily,
  });
  const topStoryIds = chooseTopStories(selected, {
    count: config.report.topStories,
    maxPerFamily: config.ranking.topMaxPerFamily,
    maxPerSource: config.ranking.topMaxPerSource,
    maxPapers: config.ranking.topMaxPapers,
    filteredSources: topicResult.filteredSources,
    neverOnTop: new Set([
      ...ordinaryPapers(selected, byId, new Date(window.end)),
      ...promotionalStories(selected, byId),
    ]),
  });
  if (repeated > 0) log.info(`${repeated} story(ies) already reported on earlier days`);

  const history = await termHistory(store, sourceIds, window);

  const selectedItemIds = selected.flatMap((s) => s.itemIds);
  return {
    window,
    stories: selected,
    topStoryIds,
    itemIds: selectedItemIds,
    counts: {
      stored: storedCount,
      inWindow: inside.length,
      instructionTitles: inside.length - honest.length,
      offTopic: honest.length - onTopic.length,
      stories: ranking.size,
      storyItems: ranking.itemCount,
      alreadyReported: repeated,
      // Every story kept and not selected: over a cap, or not read once the report was full.
      overCap: ranking.size - repeated - selected.length,
      selected: selected.length,
      selectedItems: selectedItemIds.length,
    },
    kindsInWindow: [...new Set(inside.map((item) => item.sourceKind))].sort(),
    knownUrls: inside.flatMap((item) => (item.discussionUrl ? [item.url, item.discussionUrl] : [item.url])),
    todayTerms: { ...countTerms(onTopic), date: window.date },
    dataItemIds: onTopic.filter(isDataItem).map((item) => item.id),
    history,
  };
}

async function loadItems(
  store: Store,
  itemIds: string[],
  sources: SourceConfig[],
): Promise<Record<string, PipelineItem>> {
  const items = await store.itemsByIds(itemIds);
  return Object.fromEntries(toPipelineItems(items, sources).map((item) => [item.id, item]));
}

function toPipelineItems(items: Item[], sources: SourceConfig[]): PipelineItem[] {
  const byId = new Map(sources.map((s) => [s.id, s]));
  return items.flatMap((item) => {
    const source = byId.get(item.sourceId);
    if (!source) return [];
    return [pipelineItem(item, source)];
  });
}

/**
 * Kinds whose sources answered but gave nothing inside the window (arXiv at weekends): the report
 * says so rather than widening the window. A kind whose sources all failed is not "empty".
 */
function emptyKinds(outcomes: SourceOutcome[], kindsInWindow: SourceKind[]): SourceKind[] {
  const answered = new Set(outcomes.filter((o) => o.status === 'ok' || o.status === 'not-modified').map((o) => o.kind));
  return [...answered].filter((kind) => !kindsInWindow.includes(kind)).sort();
}

/** Outcomes in config order, with every enabled source present (a source never fetched is failed). */
function sortOutcomes(outcomes: SourceOutcome[], sources: SourceConfig[]): SourceOutcome[] {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  return sources.map(
    (s) =>
      byId.get(s.id) ?? {
        id: s.id,
        name: s.name,
        kind: s.kind,
        status: 'failed',
        errorKind: 'unavailable',
        error: 'not fetched yet',
        itemsFound: 0,
        itemsNew: 0,
        itemsSeen: 0,
        elapsedMs: 0,
      },
  );
}

/** The analyzer for `--mode` (a usage error when that mode is not available): callers may check first. */
export function analyzerFor(config: Config, mode: RequestedMode = 'auto', services?: AnalyzerServices): Analyzer {
  return createAnalyzer(
    mode,
    { ...config.report, ...(config.llm ? { llm: config.llm } : {}) },
    { llmConfigured: config.llm !== undefined, ...(services ? { services } : {}) },
  );
}

/**
 * The stories as the report shows them, for the store (the archive, the web app): each under its
 * headline (the most informative title, or the model's), the top stories first in their order, then
 * the sections' stories in document order, then the titles listed as other headlines.
 */
export function asPublished(stories: readonly Story[], report: Pick<Report, 'topStories' | 'sections'>): Story[] {
  const shown = report.sections.flatMap((section) => section.stories);
  const headline = new Map(shown.map((story) => [story.id, story.title]));
  const order = new Map<string, number>();
  for (const id of [...report.topStories.map((top) => top.storyId), ...shown.map((story) => story.id)]) {
    if (!order.has(id)) order.set(id, order.size);
  }
  return stories
    .map((story, index) => ({ story: { ...story, title: headline.get(story.id) ?? story.title }, index }))
    .sort((a, b) => (order.get(a.story.id) ?? order.size + a.index) - (order.get(b.story.id) ?? order.size + b.index))
    .map(({ story }) => story);
}
