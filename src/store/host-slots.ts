/**
 * A per-host limit that holds across processes (collection workers on several machines): each host
 * has `slots` PostgreSQL advisory locks (the two-key form `(hash of the host, slot)`, a key space of
 * its own), and a request runs while its process holds one of them on its own connection. A slot
 * is held for one request only; a process that dies loses its connection, and the server frees its
 * slots at once. Waiting holds no connection: the slots are tried, and tried again after a short
 * pause when all are taken.
 */
import pg from 'pg';
import { sleep } from '../core/sleep.js';

export interface HostSlots {
  /** Runs `work` while holding one of the host's slots. */
  gate<T>(host: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** How long to wait between two tries when every slot of a host is taken (with jitter). */
const RETRY_MS = 15;

/** A signed 32-bit FNV-1a hash of the host: the first advisory-lock key. */
export function hostKey(host: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(host.toLowerCase(), 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/**
 * Host slots in the PostgreSQL database at `url`: at most `slots` requests to one host at a time
 * among every process that uses the same database and slot count. `connections`: the most requests
 * this process runs at once (its pool's size).
 */
export function createHostSlots(url: string, options: { slots: number; connections: number }): HostSlots {
  const pool = new pg.Pool({ connectionString: url, max: Math.max(1, options.connections) });
  pool.on('error', () => {});
  const slots = Math.max(1, options.slots);
  return {
    async gate<T>(host: string, work: () => Promise<T>): Promise<T> {
      const key = hostKey(host);
      for (;;) {
        const client = await pool.connect();
        let slot = -1;
        try {
          const first = Math.floor(Math.random() * slots);
          for (let i = 0; i < slots && slot < 0; i++) {
            const candidate = (first + i) % slots;
            const { rows } = await client.query<{ locked: boolean }>(
              'SELECT pg_try_advisory_lock($1::int, $2::int) AS locked',
              [key, candidate],
            );
            if (rows[0]?.locked) slot = candidate;
          }
        } catch (error) {
          client.release(true);
          throw error;
        }
        if (slot < 0) {
          client.release();
          await sleep(RETRY_MS * (0.5 + Math.random()));
          continue;
        }
        try {
          return await work();
        } finally {
          try {
            await client.query('SELECT pg_advisory_unlock($1::int, $2::int)', [key, slot]);
            client.release();
          } catch {
            // The connection is gone, and with it the lock: drop the client.
            client.release(true);
          }
        }
      }
    },
    async close() {
      await pool.end();
    },
  };
}
