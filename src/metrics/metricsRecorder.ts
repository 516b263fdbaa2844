import type { StateMetrics } from '../schemas.ts';

/** Every how many writes one is timed for `meanWriteMicros`. */
const TIMED_EVERY = 16;

/**
 * Counters, not state: reads bump them without a trip through the mailbox,
 * and they never produce a version.
 */
export class MetricsRecorder {
  getCount = 0;
  setCount = 0;
  deleteCount = 0;
  rollbackCount = 0;
  rejectedCount = 0;
  accessDeniedCount = 0;
  cacheHits = 0;
  cacheMisses = 0;
  /** Writes to let pass before the next timed one; a write that is rejected or changes nothing does not use the turn. */
  #untilTimed = 0;
  #timedCount = 0;
  #timedMicros = 0;

  /**
   * Whether to time the write about to be applied: about one applied write in
   * TIMED_EVERY, the first included. Reading the clock twice per write was a
   * twentieth of it.
   */
  shouldTime(): boolean {
    return this.#untilTimed-- <= 0;
  }

  /** Records a timed write that took `micros` to apply. */
  recordWrite(micros: number): void {
    this.#timedCount++;
    this.#timedMicros += micros;
    this.#untilTimed = TIMED_EVERY - 1;
  }

  /** A plain copy of the counters with the derived rates. */
  read(): StateMetrics {
    const lookups = this.cacheHits + this.cacheMisses;
    return {
      getCount: this.getCount,
      setCount: this.setCount,
      deleteCount: this.deleteCount,
      // Every snapshot read is a hit or a miss: counted once, where a cache hit is a field read.
      snapshotCount: lookups,
      rollbackCount: this.rollbackCount,
      rejectedCount: this.rejectedCount,
      accessDeniedCount: this.accessDeniedCount,
      cacheHits: this.cacheHits,
      cacheMisses: this.cacheMisses,
      cacheHitRate: lookups === 0 ? 0 : this.cacheHits / lookups,
      meanWriteMicros: this.#timedCount === 0 ? 0 : this.#timedMicros / this.#timedCount,
    };
  }
}
