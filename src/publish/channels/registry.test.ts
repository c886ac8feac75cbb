import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadCheckedConfig } from '../../app/context.js';
import { ConfigError } from '../../core/errors.js';
import { silentLogger } from '../../core/log.js';
import { clearSecrets, redact } from '../../core/redact.js';
import { CHANNELS, createChannels, validateChannels } from './registry.js';

const TOKEN = '987654321:AAsecretTokenValue_for_registry_tests';

describe('channel registry', () => {
  it('names every problem of every entry at once, by index and field, without secret values', () => {
    const problems = validateChannels([
      { kind: 'feishu', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', secret: '' },
      { kind: 'pager', url: 'https://example.org' },
      { url: 'https://example.org' },
      'slack',
      { kind: 'telegram', token: 'not-a-token-but-secret-looking', chatId: 'me' },
      { kind: 'slack', url: 'ftp://hooks.slack.com/x', mention: true },
      { kind: 'discord', id: 'Team Chat', url: 'https://discord.com/api/webhooks/1/x' },
    ]);
    assert.deepEqual(
      problems.map((problem) => problem.replace(/:.*$/, '')),
      [
        'publish.channels[0].secret',
        'publish.channels[1].kind',
        'publish.channels[2].kind',
        'publish.channels[3]',
        'publish.channels[4].token',
        'publish.channels[4].chatId',
        'publish.channels[5].url',
        'publish.channels[5]',
        'publish.channels[6].id',
      ],
    );
    assert.match(
      problems[1] ?? '',
      /unknown channel kind "pager" \(known: feishu, dingtalk, wecom, slack, discord, telegram/,
    );
    assert.match(problems[7] ?? '', /unknown field "mention" for kind "slack"/);
    assert.ok(!problems.join('\n').includes('not-a-token-but-secret-looking'));
  });

  it('gives ids: the kind, then kind-2, kind-3 for repeats, or the entry’s own id; duplicates are refused', () => {
    const channels = createChannels([
      { kind: 'slack', url: 'https://hooks.slack.com/services/A/B/one' },
      { kind: 'slack', url: 'https://hooks.slack.com/services/A/B/two' },
      { kind: 'slack', id: 'ops', url: 'https://hooks.slack.com/services/A/B/three' },
      { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    ]);
    assert.deepEqual(
      channels.map((channel) => `${channel.kind}:${channel.id}`),
      ['slack:slack', 'slack:slack-2', 'slack:ops', 'wecom:wecom'],
    );
    const problems = validateChannels([
      { kind: 'slack', url: 'https://hooks.slack.com/services/A/B/one' },
      { kind: 'discord', id: 'slack', url: 'https://discord.com/api/webhooks/1/x' },
    ]);
    assert.deepEqual(problems, [
      'publish.channels[1].id: "slack" is also the id of publish.channels[0]; give one of them another "id"',
    ]);
  });

  it('createChannels throws a ConfigError with the problem lines', () => {
    assert.throws(
      () => createChannels([{ kind: 'discord' }]),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.problems.length === 1 &&
        /publish\.channels\[0\]\.url/.test(error.problems[0] ?? ''),
    );
  });

  it('registers the credentials of each channel as secrets (webhook tokens, signing secrets, bot tokens)', () => {
    clearSecrets();
    createChannels([
      { kind: 'telegram', token: TOKEN, chatId: -100123 },
      {
        kind: 'dingtalk',
        url: 'https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789',
        secret: 'SECsigning0secret',
      },
      { kind: 'discord', url: 'https://discord.com/api/webhooks/123/webhookTokenPart0123456789' },
    ]);
    const line = `POST https://api.telegram.org/bot${TOKEN}/sendMessage access_token=abcdef0123456789 SECsigning0secret /webhooks/123/webhookTokenPart0123456789`;
    const redacted = redact(line);
    for (const secret of [TOKEN, 'abcdef0123456789', 'SECsigning0secret', 'webhookTokenPart0123456789']) {
      assert.ok(!redacted.includes(secret), `${secret} redacted in ${redacted}`);
    }
    clearSecrets();
  });

  it('every definition’s kind is its key, and its schema refuses unknown fields', () => {
    for (const [kind, definition] of Object.entries(CHANNELS)) {
      assert.equal(definition.kind, kind);
      assert.equal(definition.schema.safeParse({ unexpected: 1 }).success, false);
    }
  });

  it('loading the config reports channel problems with the sources’ (exit code 2), secrets from the environment unshown', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-channels-'));
    try {
      const file = path.join(dir, 'ai-daily.config.yaml');
      writeFileSync(
        file,
        [
          'preset: none',
          'publish:',
          '  channels:',
          '    - { kind: feishu, url: "${FEISHU_WEBHOOK}", secret: "${FEISHU_SECRET}", colour: red }',
          '    - { kind: telegram, token: "${TELEGRAM_TOKEN}", chatId: "-100123" }',
          '    - { kind: smoke-signal }',
          '',
        ].join('\n'),
      );
      const env = {
        FEISHU_WEBHOOK: 'https://open.feishu.cn/open-apis/bot/v2/hook/hook-id-0123456789',
        FEISHU_SECRET: 'feishu-secret-from-env',
        TELEGRAM_TOKEN: 'not a token at all, but secret',
      };
      assert.throws(
        () => loadCheckedConfig({ config: file, cwd: dir, env, log: silentLogger }),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.deepEqual(
            error.problems.map((problem) => problem.replace(/:.*$/, '')),
            ['publish.channels[0]', 'publish.channels[1].token', 'publish.channels[2].kind'],
          );
          assert.ok(!error.message.includes('not a token at all'));
          return true;
        },
      );
      writeFileSync(file, 'preset: none\npublish:\n  channels:\n    - { kind: wecom, url: "${WECOM_WEBHOOK}" }\n');
      const config = loadCheckedConfig({
        config: file,
        cwd: dir,
        env: { WECOM_WEBHOOK: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wecom-key-123456' },
        log: silentLogger,
      });
      assert.equal(createChannels(config.publish.channels)[0]?.id, 'wecom');
    } finally {
      rmSync(dir, { recursive: true, force: true });
      clearSecrets();
    }
  });
});
