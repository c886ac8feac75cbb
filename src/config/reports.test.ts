import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCheckedConfig } from '../app/context.js';
import { AI_TERMS } from '../core/ai-terms.js';
import { ConfigError } from '../core/errors.js';
import { silentLogger } from '../core/log.js';
import { resolveConfig } from './load.js';
import { collectedSourceIds, findReport, reportConfig } from './report-config.js';

/** The `path: message` problems of a config that must be refused. */
function problemsOf(raw: unknown): string[] {
  try {
    resolveConfig(raw, { env: {} });
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.problems ?? [];
  }
  assert.fail('the config was accepted');
}

describe('reports: several reports in one config', () => {
  it('without reports:, one report "default" of the top-level settings, at the output folder itself', () => {
    const config = resolveConfig({ language: 'en', disable: ['reddit-localllama'] }, { env: {} });
    assert.equal(config.reports.length, 1);
    const [only] = config.reports;
    assert.equal(only?.id, 'default');
    assert.equal(only?.language, 'en');
    assert.equal(only?.output, '');
    assert.deepEqual(only?.topics, config.topics);
    assert.deepEqual(
      only?.sources,
      config.sources.filter((s) => s.enabled).map((s) => s.id),
    );
    assert.equal(findReport(config).id, 'default');
    const { config: seen } = reportConfig(config);
    assert.equal(seen.language, 'en');
    assert.deepEqual(
      seen.sources.map((s) => s.id),
      only?.sources,
    );
  });

  it('each report inherits what it does not set, reads the sources it names in config order, in its own folder', () => {
    const config = resolveConfig(
      {
        language: 'zh',
        output: { dir: './site', siteUrl: 'https://daily.example.org/' },
        report: { title: 'AI 日报' },
        sources: [{ id: 'robot-news', kind: 'feed', url: 'https://robots.example.org/feed.xml' }],
        reports: [
          { id: 'default' },
          {
            id: 'robotics-en',
            language: 'en',
            preset: 'none',
            topics: ['Robot', 'humanoid'],
            sources: ['robot-news', 'openai-news'],
            output: 'robotics',
            title: 'Robotics daily',
          },
        ],
      },
      { env: {} },
    );
    const [main, robotics] = config.reports;
    assert.equal(main?.output, '');
    assert.equal(main?.title, 'AI 日报');
    assert.deepEqual(main?.topics, [...AI_TERMS]);
    assert.deepEqual(robotics, {
      id: 'robotics-en',
      language: 'en',
      topics: ['robot', 'humanoid'],
      sources: ['openai-news', 'robot-news'],
      title: 'Robotics daily',
      output: 'robotics',
      channels: [],
      channelsAt: 'publish.channels',
    });
    const { config: seen, definition } = reportConfig(config, 'robotics-en');
    assert.equal(definition.id, 'robotics-en');
    assert.deepEqual(
      seen.sources.map((s) => s.id),
      ['openai-news', 'robot-news'],
    );
    assert.equal(seen.language, 'en');
    assert.equal(seen.report.title, 'Robotics daily');
    assert.equal(seen.output.siteUrl, 'https://daily.example.org/robotics/');
    assert.throws(() => findReport(config), /several reports \(default, robotics-en\): name one with --report/);
    assert.throws(() => findReport(config, 'nope'), /--report: no report "nope" in the config/);
  });

  it('a definition that names what the config does not have is refused, every problem at once', () => {
    const problems = problemsOf({
      disable: ['reddit-localllama'],
      schedule: { cron: '0 8 * * *', languages: ['zh', 'en'] },
      reports: [
        { id: 'llm-en', sources: ['openai-news', 'no-such-source', 'reddit-localllama', 'openai-news'] },
        { id: 'llm-en' },
        { id: 'zh-products', preset: 'cooking', output: 'llm-en' },
        { id: 'nested', output: 'llm-en/more' },
      ],
    });
    const expected = [
      /^reports\[0\]\.sources\[1\]: no source with id "no-such-source"/,
      /^reports\[0\]\.sources\[2\]: source "reddit-localllama" is disabled/,
      /^reports\[0\]\.sources\[3\]: source "openai-news" is already listed \(sources\[0\]\)/,
      /^reports\[1\]\.id: duplicate report id "llm-en" \(already used by reports\[0\]\)/,
      /^reports\[2\]\.preset: unknown preset "cooking"/,
      /^reports\[2\]\.output: reports\[0\] is already written to "llm-en"/,
      /^reports\[3\]\.output: "llm-en\/more" and the folder of reports\[0\] \("llm-en"\) are one inside the other/,
      /^schedule\.languages: with reports:, each report has its own language/,
    ];
    for (const pattern of expected) {
      assert.ok(
        problems.some((line) => pattern.test(line)),
        `${pattern} in:\n${problems.join('\n')}`,
      );
    }
  });

  it('a definition that breaks the schema names its field', () => {
    const problems = problemsOf({
      reports: [
        { id: 'Bad Id' },
        { id: 'archive', output: 'reports/archive' },
        { id: 'dated', title: 'AI in 2026' },
        { id: 'empty', sources: [] },
        { id: 'typo', sourcse: ['openai-news'] },
        { id: 'escape', output: '../elsewhere' },
      ],
    });
    const expected = [
      /^reports\[0\]\.id: must be kebab-case/,
      /^reports\[1\]\.output: must not be one of the default report's folders/,
      /^reports\[2\]\.title: must not contain a year or a date/,
      /^reports\[3\]\.sources: must name at least one source/,
      /^reports\[4\]: unknown setting "sourcse"/,
      /^reports\[5\]\.output: must be a relative folder/,
    ];
    for (const pattern of expected) {
      assert.ok(
        problems.some((line) => pattern.test(line)),
        `${pattern} in:\n${problems.join('\n')}`,
      );
    }
  });

  it('collects what the reports read: every enabled source without reports:, else only the sources named', () => {
    const plain = resolveConfig({}, { env: {} });
    assert.equal(collectedSourceIds(plain.sources, plain.reports), undefined);
    const listed = resolveConfig(
      {
        reports: [
          { id: 'a', sources: ['qbitai', 'openai-news'] },
          { id: 'b', sources: ['openai-news'] },
        ],
      },
      { env: {} },
    );
    assert.deepEqual(collectedSourceIds(listed.sources, listed.reports), ['openai-news', 'qbitai']);
    assert.deepEqual(collectedSourceIds(listed.sources, [findReport(listed, 'b')]), ['openai-news']);
  });

  it("a report's own channels are checked under its path", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-reports-config-'));
    try {
      writeFileSync(
        path.join(dir, 'ai-daily.config.yaml'),
        'reports:\n  - id: team\n    channels:\n      - { kind: slack, url: "not a url" }\n',
      );
      assert.throws(
        () => loadCheckedConfig({ cwd: dir, env: {}, log: silentLogger }),
        (error: unknown) =>
          error instanceof ConfigError &&
          (error.problems ?? []).some((line) => line.startsWith('reports[0].channels[0].url:')),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
