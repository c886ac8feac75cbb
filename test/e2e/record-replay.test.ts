/**
 * `--record` then `--replay`, as a user would: a live run against a loopback server saves every
 * response (gzip-compressed on the wire, with validators), and a replay of that recording in a
 * fresh folder, with the server gone, reports the same day with the same stories and sources.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { stringify as stringifyYaml } from 'yaml';
import { runCommand } from '../../src/cli/commands/run.js';
import { exitCodeFor } from '../../src/cli/main.js';
import { ConfigError } from '../../src/core/errors.js';
import { silentLogger } from '../../src/core/log.js';
import type { Report } from '../../src/core/report.js';
import { atomFeed, rssFeed } from '../fixtures/e2e/feeds.js';
import { type LoopbackServer, startLoopbackServer } from '../fixtures/hostile/loopback-server.js';

const NOW = new Date('2026-08-22T02:00:00Z');

describe('record a live run, then replay it offline', () => {
  let server: LoopbackServer;
  let recordDir: string;
  let replayDir: string;

  before(async () => {
    server = await startLoopbackServer({
      '/rss.xml': (_request, response) => {
        response.writeHead(200, {
          'content-type': 'application/rss+xml; charset=utf-8',
          'content-encoding': 'gzip',
          etag: '"rss-1"',
        });
        response.end(zlib.gzipSync(rssFeed(NOW)));
      },
      '/atom.xml': (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/atom+xml', 'last-modified': NOW.toUTCString() });
        response.end(atomFeed(NOW));
      },
    });
    const config = (origin: string) =>
      stringifyYaml({
        preset: 'none',
        language: 'en',
        // The server is on loopback, which the network policy refuses unless allowed.
        http: { allowHosts: [new URL(origin).host] },
        sources: [
          { id: 'loopback-rss', name: 'Loopback RSS', kind: 'feed', url: `${origin}/rss.xml`, filterTopics: false },
          { id: 'loopback-atom', name: 'Loopback Atom', kind: 'feed', url: `${origin}/atom.xml`, filterTopics: false },
        ],
      });
    recordDir = mkdtempSync(path.join(tmpdir(), 'ai-daily-record-'));
    replayDir = mkdtempSync(path.join(tmpdir(), 'ai-daily-replay-'));
    writeFileSync(path.join(recordDir, 'ai-daily.config.yaml'), config(server.origin));
    writeFileSync(path.join(replayDir, 'ai-daily.config.yaml'), config(server.origin));
  });

  after(async () => {
    await server.close();
    rmSync(recordDir, { recursive: true, force: true });
    rmSync(replayDir, { recursive: true, force: true });
  });

  it('reports the same day from the recording as the live run did', async () => {
    const live = await runCommand({ cwd: recordDir, log: silentLogger, record: 'recording', now: NOW });
    const dayFile = path.join(recordDir, 'recording', 'day.json');
    assert.ok(existsSync(dayFile), 'day.json written when the run ended');
    const day = JSON.parse(readFileSync(dayFile, 'utf8')) as {
      day: string;
      now: string;
      responses: { url: string; headers: Record<string, string> }[];
    };
    assert.equal(day.day, '2026-08-22');
    assert.equal(day.now, NOW.toISOString(), 'the recording carries the run clock');
    assert.equal(day.responses.length, 2);
    assert.equal(day.responses.find((r) => r.url.endsWith('/rss.xml'))?.headers['content-encoding'], 'gzip');
    const requestsWhileLive = server.requests.length;

    const replayed = await runCommand({ cwd: replayDir, log: silentLogger, replay: dayFile });
    assert.equal(server.requests.length, requestsWhileLive, 'the replay sent no request');
    assert.equal(replayed.date, live.date);
    assert.deepEqual(replayed.counts, live.counts);

    const read = (dir: string, file: string) => JSON.parse(readFileSync(path.join(dir, 'out', file), 'utf8')) as Report;
    const liveReport = read(recordDir, live.json);
    const replayReport = read(replayDir, replayed.json);
    assert.deepEqual(replayReport.sections, liveReport.sections);
    assert.deepEqual(replayReport.references, liveReport.references);
    assert.equal(liveReport.references.length, 5);
    assert.equal(typeof liveReport.manifest.durationMs, 'number');
    assert.equal(replayReport.manifest.durationMs, null, 'a replay states no wall time');
  });

  it('--record into a file, or over a recorded day, is refused before anything is fetched (exit 2)', async () => {
    const requests = server.requests.length;
    writeFileSync(path.join(recordDir, 'a-file'), 'mine');
    await assert.rejects(
      runCommand({ cwd: recordDir, log: silentLogger, record: 'a-file', now: NOW }),
      (error: unknown) =>
        error instanceof ConfigError &&
        exitCodeFor(error) === 2 &&
        /^--record a-file: .*a-file is a file, not a folder: name a new or empty folder$/.test(error.message),
    );
    const earlier = path.join(recordDir, 'earlier');
    mkdirSync(earlier);
    writeFileSync(path.join(earlier, 'day.json'), '{"kept": true}');
    await assert.rejects(
      runCommand({ cwd: recordDir, log: silentLogger, record: 'earlier', now: NOW }),
      /^ConfigError: --record earlier: .*earlier already holds a recorded day \(day\.json\), which is never overwritten/,
    );
    assert.equal(server.requests.length, requests, 'nothing was fetched');
    assert.equal(readFileSync(path.join(recordDir, 'a-file'), 'utf8'), 'mine');
    assert.equal(readFileSync(path.join(earlier, 'day.json'), 'utf8'), '{"kept": true}');
  });
});
