import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canonicalEntities,
  canonicalEntityText,
  ENTITY_ALIASES,
  extractEntities,
  extractQuantities,
  WORD_ALIASES,
} from './entities.js';

describe('extractEntities', () => {
  it('maps every alias of every entity in the table to its id', () => {
    for (const [id, aliases] of Object.entries(ENTITY_ALIASES)) {
      for (const alias of aliases) {
        assert.ok(extractEntities(`据报道 ${alias} 今天发布`).includes(id), `${alias} → ${id}`);
        assert.ok(extractEntities(`Report: ${alias} ships today`).includes(id), `${alias} → ${id} in English`);
      }
    }
  });

  it('reads the real Chinese re-reports of one announcement as the same entities', () => {
    assert.deepEqual(extractEntities('阿里研究员透露Qwen4.5后模型将扩展至5-10T参数'), ['alibaba', 'qwen']);
    assert.deepEqual(extractEntities('阿里吴泳铭：千问将训练5-10万亿参数规模的新模型'), ['alibaba', 'qwen']);
    assert.deepEqual(extractEntities('深度求索开源 DeepSeek-V4'), ['deepseek']);
    assert.deepEqual(extractEntities('ＧＯＯＧＬＥ 与 微软'), ['google', 'microsoft'], 'full-width letters count');
  });

  it('matches Latin aliases as whole words only', () => {
    assert.deepEqual(extractEntities('Metadata for meta-learning on a metaverse'), []);
    assert.deepEqual(extractEntities('Claudette and Geminids'), []);
    assert.deepEqual(extractEntities('GLM-5 and Kimi K2.6'), ['moonshot', 'zhipu']);
    assert.deepEqual(extractEntities(''), []);
  });

  it('writes aliases as ids and keeps a glued version glued', () => {
    const text = canonicalEntityText('千问 beats Qwen4.5 and GLM-5');
    assert.match(text, / qwen /);
    assert.match(text, / qwen4\.5/);
    assert.match(text, / zhipu-5/);
  });
});

describe('the alias pattern', () => {
  it('finds with its Latin and CJK groups what one alternation of all the aliases finds', () => {
    const cjk = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
    const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const entityOf = new Map<string, string>();
    for (const [id, aliases] of Object.entries(ENTITY_ALIASES)) {
      for (const alias of aliases) entityOf.set(alias.normalize('NFKC').toLowerCase(), id);
    }
    const aliases = [...entityOf.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    const one = new RegExp(
      aliases
        .map((alias) =>
          cjk.test(alias)
            ? escaped(alias)
            : `(?<![a-z0-9])${escaped(alias)}(?![a-z]${WORD_ALIASES.has(alias) ? '|-' : ''})`,
        )
        .join('|'),
      'g',
    );
    const expected = (text: string) => {
      const normalised = text.normalize('NFKC').toLowerCase();
      return normalised.replace(one, (alias: string, offset: number) => {
        const id = entityOf.get(alias);
        const next = normalised.charAt(offset + alias.length);
        return !cjk.test(alias) && /[0-9-]/.test(next) ? ` ${id ?? alias}` : ` ${id ?? alias} `;
      });
    };
    const texts = [
      aliases.join(''),
      aliases.join(' '),
      aliases.join('-'),
      aliases.map((alias, k) => `${alias}${k % 10}`).join('x'),
      '阿里云通义千问Qwen4.5与GLM-5、ChatGLM和z.ai；Meta-learning, meta AI, xAI Grok-3, 字节跳动Seedance 2.0',
      'Google DeepMind 与 谷歌 DeepMind、Hugging Face的HuggingFace, 1OpenAI, OpenAIx, openai_5',
    ];
    for (const text of texts) assert.equal(canonicalEntityText(text), expected(text), text);
  });
});

describe('extractQuantities', () => {
  it('normalises one quantity written in several ways to one spelling', () => {
    const spellings = [
      ['5-10T 参数', '5-10万亿参数', '5–10 trillion parameters', '5 to 10 trillion'],
      ['120亿参数', '12B params', '12 billion', '12bn'],
      ['1.2k stars', '1,200 stars', '1200 stars'],
      ['1000倍', '1000x faster'],
      ['2M context', '200万 token', '2 million tokens'],
    ];
    for (const group of spellings) {
      const forms = group.map((text) => extractQuantities(text));
      for (const form of forms) assert.deepEqual(form, forms[0], `${group.join(' | ')}: ${JSON.stringify(forms)}`);
      assert.equal(forms[0]!.length, 1, group[0]);
    }
  });

  it('ignores versions, sizes inside names, years and small bare numbers', () => {
    assert.deepEqual(extractQuantities('GPT-5.5 and Qwen3.8-27B on 720P video in 2026, 3 ways'), []);
    assert.deepEqual(extractQuantities('2026-09-22 Mixtral 8x7B'), []);
    assert.deepEqual(extractQuantities('87.9% of 4.2 亿次'), ['4.2e8', '87.9%']);
  });

  it('survives hostile input without throwing', () => {
    const long = `${'9'.repeat(400)}T ${'1,'.repeat(500)}2 ${'-'.repeat(1000)}`;
    assert.ok(Array.isArray(extractQuantities(long)));
    assert.ok(Array.isArray(extractEntities(long)));
  });
});

describe('quantities share the verifier’s scales', () => {
  it('reads every Chinese scale whole: 千亿, 百亿, 十亿 and 十万 are not 千, 百 or 十 followed by another word', () => {
    assert.deepEqual(extractQuantities('投入5千亿'), extractQuantities('invests 500 billion'));
    assert.deepEqual(extractQuantities('估值3百亿'), extractQuantities('valued at 30 billion'));
    assert.deepEqual(extractQuantities('12十亿参数'), extractQuantities('12 billion parameters'));
    assert.deepEqual(extractQuantities('8十万用户'), extractQuantities('800 thousand users'));
  });
});

describe('canonicalEntities', () => {
  it('is canonicalEntityText and extractEntities in one pass', () => {
    for (const text of [
      '阿里吴泳铭：千问将训练 Qwen4.5 and GLM-5',
      'Google DeepMind and Google, OpenAI, openai again; meta-learning at Meta',
      'ＯｐｅｎＡＩ 发布 ChatGPT',
      'No entity here at all',
      '',
    ]) {
      assert.deepEqual(canonicalEntities(text), { text: canonicalEntityText(text), entities: extractEntities(text) });
    }
  });
});
