import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import type { AnalyzerFactory } from './analyzer.js';
import { analyzers, createAnalyzer, resolveMode } from './registry.js';

const fakeLlm: AnalyzerFactory = (settings) => ({
  mode: 'llm',
  analyze: async () => ({ topStories: new Array(settings.topStories) }) as unknown as Report,
});

describe('analyzer registry', () => {
  it('auto is extractive while no LLM is configured, llm when one is configured and registered', () => {
    assert.equal(resolveMode('auto', false), 'extractive');
    assert.equal(resolveMode('auto', true, { extractive: analyzers.extractive }), 'extractive');
    assert.equal(resolveMode('auto', true, { ...analyzers, llm: fakeLlm }), 'llm');
    assert.equal(resolveMode('extractive', true, { ...analyzers, llm: fakeLlm }), 'extractive');
  });

  it('--mode llm without a configured LLM is a usage error that says what to do', () => {
    assert.throws(
      () => createAnalyzer('llm', { topStories: 6 }, { llmConfigured: false }),
      (error: unknown) => error instanceof ConfigError && /no LLM is configured/.test(error.message),
    );
  });

  it('--mode llm with an LLM configured but no analyzer registered is a usage error', () => {
    assert.throws(
      () => createAnalyzer('llm', { topStories: 6 }, { llmConfigured: true }, { extractive: analyzers.extractive }),
      (error: unknown) => error instanceof ConfigError && /no llm analyzer/.test(error.message),
    );
  });

  it('hands the report settings to the chosen factory', async () => {
    const registry: typeof analyzers = { ...analyzers, llm: fakeLlm };
    const analyzer = createAnalyzer('auto', { topStories: 3 }, { llmConfigured: true }, registry);
    assert.equal(analyzer.mode, 'llm');
    const report = await analyzer.analyze({} as never);
    assert.equal(report.topStories.length, 3);
    assert.equal(createAnalyzer('auto', { topStories: 3 }, { llmConfigured: false }).mode, 'extractive');
  });
});
