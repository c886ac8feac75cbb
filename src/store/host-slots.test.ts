/**
 * The per-host limit shared by collection workers (host-slots.ts), on a real PostgreSQL database:
 * two limiters on one database stand for two worker processes.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createTestDatabase, postgresSkip, type TestDatabase } from '../../test/support/postgres.js';
import { sleep } from '../core/sleep.js';
import { createHostSlots, hostKey } from './host-slots.js';

describe('host slots', () => {
  it('keys a host the same whatever its case, and two hosts apart', () => {
    assert.equal(hostKey('Example.org:8080'), hostKey('example.org:8080'));
    assert.notEqual(hostKey('a.example'), hostKey('b.example'));
    assert.ok(Number.isInteger(hostKey('a.example')) && Math.abs(hostKey('a.example')) < 2 ** 31);
  });
});

describe('host slots across processes', postgresSkip() ? { skip: postgresSkip() } : {}, () => {
  const databases: TestDatabase[] = [];
  after(async () => {
    for (const database of databases) await database.drop();
  });

  it('two limiters on one database never run more than the slots of a host at once, and never hold up another host', async () => {
    const database = await createTestDatabase();
    databases.push(database);
    const first = createHostSlots(database.url, { slots: 2, connections: 6 });
    const second = createHostSlots(database.url, { slots: 2, connections: 6 });
    const running = new Map<string, number>();
    const most = new Map<string, number>();
    const task = (host: string) => async () => {
      const now = (running.get(host) ?? 0) + 1;
      running.set(host, now);
      most.set(host, Math.max(most.get(host) ?? 0, now));
      await sleep(20);
      running.set(host, (running.get(host) ?? 1) - 1);
      return host;
    };
    try {
      const work = [];
      for (let i = 0; i < 8; i++) {
        const limiter = i % 2 === 0 ? first : second;
        work.push(limiter.gate('a.example', task('a.example')));
      }
      for (let i = 0; i < 4; i++) work.push((i % 2 === 0 ? first : second).gate('b.example', task('b.example')));
      const done = await Promise.all(work);
      assert.equal(done.length, 12);
      assert.equal(most.get('a.example'), 2, 'two slots for a.example, across both limiters');
      assert.ok((most.get('b.example') ?? 0) <= 2);

      // While both of a host's slots are held, another host's request runs to its end.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      let holding = 0;
      let bothHeld = () => {};
      const bothTaken = new Promise<void>((resolve) => {
        bothHeld = resolve;
      });
      const holders = [first, second].map((limiter) =>
        limiter.gate('a.example', async () => {
          holding++;
          if (holding === 2) bothHeld();
          await held;
        }),
      );
      await bothTaken;
      assert.equal(await first.gate('b.example', async () => 'b done'), 'b done');
      release();
      await Promise.all(holders);
      // A failing request frees its slot.
      await assert.rejects(
        first.gate('c.example', async () => {
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await second.gate('c.example', async () => 'free'), 'free');
    } finally {
      await first.close();
      await second.close();
    }
  });
});
