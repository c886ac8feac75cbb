/**
 * The whole publishing path as a user runs it: `ai-daily run --replay` of a recorded day into a git
 * clone (a local bare repository as the remote) with every delivery channel configured, each
 * answered by a local server that checks what the real platform checks (Feishu's and DingTalk's
 * signatures included) and a real SMTP server. Two runs give one commit and one post per channel;
 * `ai-daily publish` posts nothing again; a failing channel fails the run without stopping the
 * others and is delivered by the next `publish`; `ai-daily doctor` checks all of it without posting.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { runCli } from '../support/cli.js';
import { dayFile } from '../support/fixtures.js';
import { git, makeSiteRepos, remoteFiles, remoteSubjects } from '../support/git-repos.js';

const FEISHU_SECRET = 'feishu-secret-for-tests';
const DINGTALK_SECRET = 'SECdingtalk-secret-for-tests';
const TELEGRAM_TOKEN = '123456:telegram-token-for-tests';

interface Post {
  platform: string;
  body: unknown;
  /** Why the platform would refuse it, when it would. */
  refusal?: string;
}

/** One loopback server standing in for the six chat platforms, by path. */
function startPlatforms(): Promise<{ server: Server; port: number; posts: Post[]; failSlack: { on: boolean } }> {
  const posts: Post[] = [];
  const failSlack = { on: false };
  const handle = (request: IncomingMessage, response: ServerResponse, raw: string) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const json = (status: number, value: unknown) =>
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      json(400, { error: 'body is not JSON' });
      return;
    }
    if (request.method !== 'POST' || !/application\/json/.test(request.headers['content-type'] ?? '')) {
      json(400, { error: 'expected a JSON POST' });
      return;
    }
    switch (url.pathname) {
      case '/feishu': {
        // https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot: HMAC-SHA256 keyed with
        // "timestamp\nsecret" over an empty message, base64, in the body with the timestamp (seconds).
        const timestamp = String(body.timestamp ?? '');
        const expected = createHmac('sha256', `${timestamp}\n${FEISHU_SECRET}`).update('').digest('base64');
        const refusal =
          body.sign !== expected
            ? 'sign match fail'
            : !/^\d{10}$/.test(timestamp)
              ? 'timestamp is not in seconds'
              : typeof body.msg_type !== 'string'
                ? 'no msg_type'
                : undefined;
        posts.push({ platform: 'feishu', body, ...(refusal ? { refusal } : {}) });
        json(200, refusal ? { code: 19021, msg: refusal } : { code: 0, msg: 'success', data: {} });
        return;
      }
      case '/dingtalk': {
        // https://open.dingtalk.com/document/robots/customize-robot-security-settings: HMAC-SHA256
        // keyed with the secret over "timestamp\nsecret" (milliseconds), base64, as query parameters.
        const timestamp = url.searchParams.get('timestamp') ?? '';
        const expected = createHmac('sha256', DINGTALK_SECRET)
          .update(`${timestamp}\n${DINGTALK_SECRET}`)
          .digest('base64');
        const refusal =
          url.searchParams.get('access_token') !== 'dt-token'
            ? 'token is not exist'
            : url.searchParams.get('sign') !== expected
              ? 'sign not match'
              : !/^\d{13}$/.test(timestamp)
                ? 'timestamp is not in milliseconds'
                : body.msgtype !== 'markdown'
                  ? 'not a markdown message'
                  : undefined;
        posts.push({ platform: 'dingtalk', body, ...(refusal ? { refusal } : {}) });
        json(200, refusal ? { errcode: 310000, errmsg: refusal } : { errcode: 0, errmsg: 'ok' });
        return;
      }
      case '/wecom': {
        const content = (body.markdown as { content?: string } | undefined)?.content ?? '';
        const refusal =
          url.searchParams.get('key') !== 'wc-key'
            ? 'invalid webhook url'
            : body.msgtype !== 'markdown'
              ? 'not markdown'
              : Buffer.byteLength(content, 'utf8') > 4096
                ? 'content exceed max length'
                : undefined;
        posts.push({ platform: 'wecom', body, ...(refusal ? { refusal } : {}) });
        json(200, refusal ? { errcode: 40058, errmsg: refusal } : { errcode: 0, errmsg: 'ok' });
        return;
      }
      case '/slack': {
        if (failSlack.on) {
          posts.push({ platform: 'slack', body, refusal: 'server error' });
          response.writeHead(500, { 'content-type': 'text/plain' }).end('internal_error');
          return;
        }
        const refusal = typeof body.text !== 'string' || body.text === '' ? 'no_text' : undefined;
        posts.push({ platform: 'slack', body, ...(refusal ? { refusal } : {}) });
        response.writeHead(refusal ? 400 : 200, { 'content-type': 'text/plain' }).end(refusal ?? 'ok');
        return;
      }
      case '/discord': {
        const content = typeof body.content === 'string' ? body.content : '';
        const embeds = Array.isArray(body.embeds) ? body.embeds : [];
        const refusal =
          content.length > 2000
            ? 'content: Must be 2000 or fewer in length'
            : content === '' && embeds.length === 0
              ? 'Cannot send an empty message'
              : undefined;
        posts.push({ platform: 'discord', body, ...(refusal ? { refusal } : {}) });
        if (refusal) json(400, { message: refusal, code: 50006 });
        else if (url.searchParams.get('wait') === 'true') json(200, { id: '1100000000000000001' });
        else response.writeHead(204).end();
        return;
      }
      case `/bot${TELEGRAM_TOKEN}/sendMessage`: {
        const text = typeof body.text === 'string' ? body.text : '';
        const refusal =
          body.chat_id !== '-100123' && body.chat_id !== -100123
            ? 'Bad Request: chat not found'
            : text === '' || [...text].length > 4096
              ? 'Bad Request: message is too long'
              : undefined;
        posts.push({ platform: 'telegram', body, ...(refusal ? { refusal } : {}) });
        json(
          refusal ? 400 : 200,
          refusal ? { ok: false, error_code: 400, description: refusal } : { ok: true, result: { message_id: 42 } },
        );
        return;
      }
      default:
        json(404, { error: `no platform at ${url.pathname}` });
    }
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Buffer.concat(chunks).toString('utf8')));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, posts, failSlack }),
    ),
  );
}

/** A real SMTP server on loopback that keeps every message it accepts. */
function startSmtp(): Promise<{ server: SMTPServer; port: number; messages: string[] }> {
  const messages: string[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    authOptional: false,
    onAuth(auth, _session, callback) {
      if (auth.username === 'bot' && auth.password === 'smtp-pass') callback(null, { user: 'bot' });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.server.address() as AddressInfo).port, messages }),
    ),
  );
}

describe('run and publish a recorded day to git and every channel', () => {
  let dir: string;
  let remote: string;
  let site: string;
  let platforms: Awaited<ReturnType<typeof startPlatforms>>;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const env = () => ({
    FEISHU_SECRET,
    DINGTALK_SECRET,
    TELEGRAM_TOKEN,
    SMTP_PASS: 'smtp-pass',
  });
  const cli = (...args: string[]) => runCli(args, dir, env());
  const byPlatform = () => {
    const counts: Record<string, number> = {};
    for (const post of platforms.posts) counts[post.platform] = (counts[post.platform] ?? 0) + 1;
    return counts;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-deliver-'));
    ({ remote, site } = makeSiteRepos(dir));
    platforms = await startPlatforms();
    smtp = await startSmtp();
    const base = `http://127.0.0.1:${platforms.port}`;
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'output:',
        `  dir: ${JSON.stringify(site)}`,
        '  siteUrl: https://daily.example.org/',
        'http:',
        `  allowHosts: ["127.0.0.1:${platforms.port}", "127.0.0.1:${smtp.port}"]`,
        'publish:',
        '  git: { authorName: ai-daily bot, authorEmail: bot@example.invalid }',
        '  channels:',
        `    - { kind: feishu, url: "${base}/feishu", secret: "\${FEISHU_SECRET}" }`,
        `    - { kind: dingtalk, url: "${base}/dingtalk?access_token=dt-token", secret: "\${DINGTALK_SECRET}" }`,
        `    - { kind: wecom, url: "${base}/wecom?key=wc-key" }`,
        `    - { kind: slack, url: "${base}/slack" }`,
        `    - { kind: discord, url: "${base}/discord" }`,
        `    - { kind: telegram, token: "\${TELEGRAM_TOKEN}", chatId: "-100123", apiBase: "${base}" }`,
        `    - { kind: email, host: 127.0.0.1, port: ${smtp.port}, secure: false, requireTLS: false, user: bot, pass: "\${SMTP_PASS}", from: "ai-daily <bot@example.org>", to: [reader@example.org] }`,
        '',
      ].join('\n'),
    );
    writeFileSync(path.join(site, 'stray.log'), 'left here by hand\n');
  });
  after(async () => {
    await new Promise((resolve) => platforms.server.close(resolve));
    await new Promise<void>((resolve) => smtp.server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('doctor checks git and every channel without posting anything', async () => {
    const result = await cli('--json', 'doctor');
    assert.equal(result.code, 0, `${result.stdout}\n${result.stderr}`);
    const summary = JSON.parse(result.stdout) as { ok: boolean; publish: { name: string; problems: string[] }[] };
    assert.equal(summary.ok, true);
    assert.deepEqual(
      summary.publish.map((check) => [check.name, check.problems]),
      ['git', 'feishu', 'dingtalk', 'wecom', 'slack', 'discord', 'telegram', 'email'].map((name) => [name, []]),
    );
    assert.deepEqual(platforms.posts, []);
    assert.deepEqual(smtp.messages, []);
    assert.deepEqual(remoteSubjects(remote), ['seed']);
  });

  it('two runs give one commit holding only the run files and exactly one post per channel, signed', async () => {
    const first = await cli('--json', 'run', '--replay', dayFile('2026-08-22'));
    assert.equal(first.code, 0, first.stderr);
    const second = await cli('--json', 'run', '--replay', dayFile('2026-08-22'));
    assert.equal(second.code, 0, second.stderr);

    const summary = JSON.parse(second.stdout) as {
      files: string[];
      html: string;
      publish: { channels: { channel: string; status: string }[]; failedChannels: string[] };
    };
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (zh)', 'seed']);
    assert.deepEqual(remoteFiles(remote), ['README.md', ...summary.files].sort());
    assert.ok(summary.files.includes('reports/feed.xml') && summary.files.includes('reports/index.html'));
    assert.match(git(site, 'status', '--porcelain'), /^\?\? stray\.log$/m);

    assert.deepEqual(byPlatform(), { feishu: 1, dingtalk: 1, wecom: 1, slack: 1, discord: 1, telegram: 1 });
    assert.deepEqual(
      platforms.posts.filter((post) => post.refusal),
      [],
      'every post is one the platform accepts (signatures included)',
    );
    assert.equal(smtp.messages.length, 1);
    assert.deepEqual(summary.publish.failedChannels, []);
    assert.ok(summary.publish.channels.every((outcome) => outcome.status === 'already-sent'));

    // Each message links the published page and names a top story.
    const page = `https://daily.example.org/${summary.html}`;
    const report = JSON.parse(readFileSync(path.join(site, summary.html.replace(/\.html$/, '.json')), 'utf8')) as {
      topStories: { title: string }[];
    };
    const firstTitle = report.topStories[0]?.title ?? '';
    for (const post of platforms.posts) {
      const text = JSON.stringify(post.body);
      assert.ok(text.includes(page), `${post.platform} links ${page}`);
      assert.ok(text.includes(firstTitle.slice(0, 20)), `${post.platform} names the first top story`);
    }
    const mail = smtp.messages[0] ?? '';
    assert.match(mail, /multipart\/alternative/i);
    assert.match(mail, /text\/plain/i);
    assert.match(mail, /text\/html/i);
  });

  it('publish posts nothing again; a failing channel fails the run, the others deliver, the next publish delivers it', async () => {
    const again = await cli('publish', '--date', '2026-08-22');
    assert.equal(again.code, 0, again.stderr);
    assert.equal(platforms.posts.length, 6);
    assert.equal(smtp.messages.length, 1);

    platforms.failSlack.on = true;
    const en = await cli('--json', 'run', '--replay', dayFile('2026-08-22'), '--lang', 'en');
    assert.equal(en.code, 1, 'a failed channel fails the run');
    assert.match(en.stderr, /slack/);
    const failed = JSON.parse(en.stdout) as { publish: { failedChannels: string[] } };
    assert.deepEqual(failed.publish.failedChannels, ['slack']);
    const enPosts = byPlatform();
    for (const platform of ['feishu', 'dingtalk', 'wecom', 'discord', 'telegram']) assert.equal(enPosts[platform], 2);
    assert.equal(smtp.messages.length, 2);
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (en)', 'ai-daily: 2026-08-22 (zh)', 'seed']);

    platforms.failSlack.on = false;
    const slackPostsBefore = platforms.posts.filter((post) => post.platform === 'slack').length;
    const retry = await cli('publish', '--date', '2026-08-22', '--lang', 'en');
    assert.equal(retry.code, 0, retry.stderr);
    const slackPosts = platforms.posts.filter((post) => post.platform === 'slack');
    assert.equal(slackPosts.length, slackPostsBefore + 1);
    assert.equal(slackPosts.at(-1)?.refusal, undefined);
    const totals = byPlatform();
    for (const platform of ['feishu', 'dingtalk', 'wecom', 'discord', 'telegram']) assert.equal(totals[platform], 2);
    assert.equal(smtp.messages.length, 2);
    assert.deepEqual(remoteSubjects(remote), ['ai-daily: 2026-08-22 (en)', 'ai-daily: 2026-08-22 (zh)', 'seed']);
  });
});

describe('a webhook that receives the post and never answers', () => {
  let dir: string;
  let server: Server;
  const received: string[] = [];
  const answer = { on: false };
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-unanswered-'));
    // Reads each post whole; answers only when told to.
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'));
        if (answer.on) response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        'http:',
        `  allowHosts: ["${host}"]`,
        'publish:',
        '  channels:',
        `    - { kind: slack, id: team, url: "http://${host}/hooks/team" }`,
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the delivery unknown: the next run does not post it again; --redeliver does', async () => {
    const first = await runCli(['--json', 'run', '--replay', dayFile('2026-08-22')], dir);
    assert.equal(first.code, 1, 'the run says the post may not have arrived');
    assert.match(first.stderr, /deliver: team: unanswered: .*no answer within \d+ ms after the request was sent/);
    assert.match(
      first.stderr,
      /got the post but never answered.*`ai-daily publish --date 2026-08-22 --lang zh --redeliver`/,
    );
    const summary = JSON.parse(first.stdout) as {
      publish: { channels: { status: string }[]; failedChannels: string[] };
    };
    assert.deepEqual(
      summary.publish.channels.map((outcome) => outcome.status),
      ['unknown'],
    );
    assert.deepEqual(summary.publish.failedChannels, []);
    assert.equal(received.length, 1);

    const rerun = await runCli(['run', '--replay', dayFile('2026-08-22')], dir);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.match(rerun.stderr, /unknown: a run posted on .* and got no answer/);
    const publish = await runCli(['publish', '--date', '2026-08-22'], dir);
    assert.equal(publish.code, 0, publish.stderr);
    assert.equal(received.length, 1, 'not posted again');

    answer.on = true;
    const redeliver = await runCli(['publish', '--date', '2026-08-22', '--redeliver'], dir);
    assert.equal(redeliver.code, 0, redeliver.stderr);
    assert.equal(received.length, 2);
  });
});

describe('ai-daily publish without a report or without publishing', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-publish-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses when nothing is configured to publish to (exit 2)', async () => {
    const result = await runCli(['publish', '--date', '2026-08-22'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no publish\.git and no publish\.channels/);
  });

  it('says how to write a report that is not there (exit 3), and a bad --date is a usage error', async () => {
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      'publish:\n  channels:\n    - { kind: slack, url: "https://hooks.slack.example/services/T0/B0/x" }\n',
    );
    const missing = await runCli(['publish', '--date', '2026-08-22'], dir);
    assert.equal(missing.code, 3, missing.stderr);
    assert.match(missing.stderr, /no zh report of 2026-08-22 .*ai-daily run --date 2026-08-22/);
    const bad = await runCli(['publish', '--date', '22.08.2026'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--date: expected YYYY-MM-DD/);
  });

  it('doctor names what would fail: no git work tree, an unsigned DingTalk bot, a webhook on a private address', async () => {
    writeFileSync(
      path.join(dir, 'ai-daily.config.yaml'),
      [
        `output: { dir: ${JSON.stringify(path.join(dir, 'plain-folder'))} }`,
        'publish:',
        '  git: { authorName: bot, authorEmail: bot@example.invalid }',
        '  channels:',
        // IP literals: the check resolves nothing and connects nowhere (no DNS query leaves the test).
        '    - { kind: dingtalk, url: "https://93.184.215.14/robot/send?access_token=abc" }',
        '    - { kind: slack, url: "http://10.20.30.40/hooks/x" }',
        '',
      ].join('\n'),
    );
    mkdirSync(path.join(dir, 'plain-folder'), { recursive: true });
    const result = await runCli(['doctor'], dir);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout, /^git: FAILED\n {2}FAIL publish\.git: the output folder is not a git work tree/m);
    assert.match(result.stdout, /^dingtalk: FAILED\n {2}FAIL dingtalk\.secret: not set/m);
    assert.doesNotMatch(result.stdout, /dingtalk\.url/);
    assert.match(result.stdout, /^slack: FAILED\n {2}FAIL .*10\.20\.30\.40/m);
  });
});
