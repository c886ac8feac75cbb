import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realText } from '../../test/support/fixtures.js';
import { parseFeedDocument } from '../sources/feed.js';
import type { Cluster } from './cluster.js';
import { joinDigestLeads, modelMentions } from './digest.js';

describe('modelMentions', () => {
  it('normalises versioned model names, also a version split by a space', () => {
    assert.deepEqual(modelMentions('AI日报：Claude Opus 4. 7发布；阿里开源 Qwen3.6-35B-A3B'), [
      'claudeopus4.7',
      'qwen3.6',
    ]);
    assert.deepEqual(modelMentions('Introducing Claude Opus 4.7'), ['claudeopus4.7']);
    assert.deepEqual(modelMentions('智谱发布GLM-5.1'), ['glm5.1']);
    assert.deepEqual(modelMentions('Our principles'), []);
  });
});

describe('joinDigestLeads (real AIbase and Anthropic captures)', () => {
  const aibase = parseFeedDocument(
    realText('atom/aibase-daily-zh_scraped-by-ai-news-direct_2026-04-30.xml'),
    'https://news.aibase.com/',
  );
  const anthropic = parseFeedDocument(
    realText('atom/anthropic-news_scraped-by-ai-news-direct_2026-04-30.xml'),
    'https://www.anthropic.com/news',
  );
  const titles = new Map<string, { title: string }>();
  const cluster = (id: string, title: string): Cluster => {
    titles.set(id, { title });
    return { id: `c-${id}`, itemIds: [id], keys: [`url:${id}`] };
  };
  const find = (items: typeof aibase, text: string) => {
    const item = items.find((candidate) => candidate.title.includes(text));
    assert.ok(item, text);
    return item.title;
  };

  it("joins the roundup led by Opus 4.7's release to Anthropic's post, and nothing else", () => {
    const opus = cluster('opus', find(anthropic, 'Introducing Claude Opus 4.7'));
    const design = cluster('design', find(anthropic, 'Claude Design'));
    const released = cluster('released', find(aibase, 'Claude Opus 4. 7发布'));
    // Mentions Opus 4.7 too, but not as its lead: stays a roundup of its own.
    const coming = cluster('coming', find(aibase, 'Claude Opus 4.7即将发布'));
    const joined = joinDigestLeads([opus, design, released, coming], titles);
    assert.deepEqual(
      joined.map((c) => c.itemIds),
      [['opus', 'released'], ['design'], ['coming']],
    );
    assert.deepEqual(joined[0]!.keys, ['url:opus', 'url:released']);
  });

  it('leaves a digest alone when its lead names no model of the day, or two stories match', () => {
    const glm = cluster('glm', find(aibase, '智谱发布GLM-5V-Turbo'));
    const other = cluster('other', 'An unrelated post');
    assert.deepEqual(joinDigestLeads([glm, other], titles).length, 2);
    const a = cluster('a', 'GLM-5V-Turbo benchmarks');
    const b = cluster('b', 'GLM-5V-Turbo pricing');
    assert.equal(joinDigestLeads([glm, a, b], titles).length, 3);
  });
});
