import type { Logger } from '../core/log.js';
import type { RunStage } from '../core/run.js';
import type { RunHandle, Store } from '../store/store.js';

/**
 * Runs named stages with a checkpoint in the store after each. When a run is resumed (it crashed
 * or failed), a stage that had finished returns its stored output instead of running again, so
 * no source is fetched twice and no work is repeated. Outputs must be plain JSON data.
 */
export class StageRunner {
  readonly ran: RunStage[] = [];
  readonly resumedFrom: RunStage[] = [];

  constructor(
    private readonly store: Store,
    private readonly handle: RunHandle,
    private readonly clock: () => Date,
    private readonly log: Logger,
  ) {}

  get runId(): string {
    return this.handle.id;
  }

  async stage<T>(name: RunStage, run: () => Promise<T> | T): Promise<T> {
    if (this.handle.stages.has(name)) {
      this.resumedFrom.push(name);
      this.log.info(`stage ${name}: done in an earlier attempt of this run, reusing its result`);
      return this.handle.stages.get(name) as T;
    }
    const output = await run();
    // Round-trip through JSON so that a resumed run sees exactly what a fresh one saw.
    const stored = JSON.parse(JSON.stringify(output ?? null)) as T;
    await this.store.saveStage(this.handle.id, name, stored, this.clock());
    this.handle.stages.set(name, stored);
    this.ran.push(name);
    return stored;
  }
}
