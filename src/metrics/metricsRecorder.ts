import type { StateMetrics } from '../schemas.ts';

/**
 * Counters, not state: reads bump them without a trip through the mailbox,
 * and they never produce a version.
 */
export class MetricsRecorder {
  getCount = 0;
  setCount = 0;
  deleteCount = 0;
  snapshotCount = 0;
  rollbackCount = 0;
  rejectedCount = 0;
  cacheHits = 0;
  cacheMisses = 0;
  #writeCount = 0;
  #writeMicros = 0;

  /** Counts one applied write command that took `micros` to apply. */
  recordWrite(micros: number): void {
    this.#writeCount++;
    this.#writeMicros += micros;
  }

  /** A plain copy of the counters with the derived rates. */
  read(): StateMetrics {
    const lookups = this.cacheHits + this.cacheMisses;
    return {
      getCount: this.getCount,
      setCount: this.setCount,
      deleteCount: this.deleteCount,
      snapshotCount: this.snapshotCount,
      rollbackCount: this.rollbackCount,
      rejectedCount: this.rejectedCount,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      cacheHitRate: lookups === 0 ? 0 : this.cacheHits / lookups,
      meanWriteMicros: this.#writeCount === 0 ? 0 : this.#writeMicros / this.#writeCount,
    };
  }
}
