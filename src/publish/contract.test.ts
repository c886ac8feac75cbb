/**
 * The contract every publisher passes: it publishes exactly the run's files (nothing else in the
 * output folder), publishing the same files again changes nothing, a changed file is published, and
 * a destination that refuses gives a PublishError while keeping the work, which the next publish
 * delivers. Each publisher gives a harness over real parts (git: a local bare repository).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { git, makeSiteRepos, refusePushes, remoteFiles } from '../../test/support/git-repos.js';
import { gitPublishSchema } from '../config/schema.js';
import { PublishError } from '../core/errors.js';
import type { Report } from '../core/report.js';
import { createGitPublisher } from './git.js';
import type { Publisher, PublishRequest } from './publisher.js';

interface Harness {
  outDir: string;
  publisher: Publisher;
  /** Path → content of what is published. */
  published(): Map<string, string>;
  /** Makes the destination refuse; returns the repair. */
  refuse(): () => void;
  cleanup(): void;
}

const publishers: { name: string; setup(): Harness }[] = [
  {
    name: 'git',
    setup() {
      const dir = mkdtempSync(path.join(tmpdir(), 'ai-daily-publish-git-'));
      const { remote, site } = makeSiteRepos(dir);
      const publisher = createGitPublisher(
        gitPublishSchema.parse({ authorName: 'ai-daily bot', authorEmail: 'bot@example.invalid' }),
      );
      return {
        outDir: site,
        publisher,
        published: () => new Map(remoteFiles(remote).map((file) => [file, git(remote, 'show', `main:${file}`)])),
        refuse: () => refusePushes(remote),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

// The publishers never read the report; its shape is not what this contract is about.
const report = {} as unknown as Report;

function writeRun(outDir: string, files: Record<string, string>): PublishRequest {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(outDir, file)), { recursive: true });
    writeFileSync(path.join(outDir, file), content);
  }
  return { outDir, files: Object.keys(files), date: '2026-08-22', language: 'zh', report };
}

for (const { name, setup } of publishers) {
  describe(`publisher contract: ${name}`, () => {
    let harness: Harness;
    before(() => {
      harness = setup();
    });
    after(() => harness.cleanup());

    it('publishes exactly the run files; a stray file in the folder stays out', async () => {
      writeFileSync(path.join(harness.outDir, 'stray.log'), 'debug output\n');
      mkdirSync(path.join(harness.outDir, 'data'), { recursive: true });
      writeFileSync(path.join(harness.outDir, 'data', 'ai-daily.db'), 'not for publishing');
      const before = harness.published();
      const request = writeRun(harness.outDir, {
        'reports/2026/08/2026-08-22.md': '# day\n',
        'reports/2026/08/2026-08-22.json': '{"day":1}\n',
      });
      const outcome = await harness.publisher.publish(request);
      assert.equal(outcome.changed, true);
      const after = harness.published();
      assert.equal(after.get('reports/2026/08/2026-08-22.md'), '# day\n');
      assert.equal(after.get('reports/2026/08/2026-08-22.json'), '{"day":1}\n');
      assert.deepEqual([...after.keys()].filter((file) => !before.has(file)).sort(), [
        'reports/2026/08/2026-08-22.json',
        'reports/2026/08/2026-08-22.md',
      ]);
      assert.ok(!after.has('stray.log') && !after.has('data/ai-daily.db'));
    });

    it('publishing the same files again changes nothing', async () => {
      const before = harness.published();
      const outcome = await harness.publisher.publish(
        writeRun(harness.outDir, {
          'reports/2026/08/2026-08-22.md': '# day\n',
          'reports/2026/08/2026-08-22.json': '{"day":1}\n',
        }),
      );
      assert.equal(outcome.changed, false);
      assert.equal(outcome.caughtUp, 0);
      assert.deepEqual(harness.published(), before);
    });

    it('a refused destination throws a PublishError; the next publish delivers the kept work', async () => {
      const repair = harness.refuse();
      const request = writeRun(harness.outDir, { 'reports/2026/08/2026-08-22.md': '# day, revised\n' });
      await assert.rejects(harness.publisher.publish(request), (error: unknown) => {
        assert.ok(error instanceof PublishError, String(error));
        return true;
      });
      assert.equal(harness.published().get('reports/2026/08/2026-08-22.md'), '# day\n');
      repair();
      const outcome = await harness.publisher.publish(request);
      assert.equal(outcome.changed, false, 'the revision was kept from the refused run');
      assert.equal(outcome.caughtUp, 1);
      assert.equal(harness.published().get('reports/2026/08/2026-08-22.md'), '# day, revised\n');
      assert.equal(readFileSync(path.join(harness.outDir, 'stray.log'), 'utf8'), 'debug output\n');
    });
  });
}
