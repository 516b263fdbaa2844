import { z } from 'zod';
import type { EntryOrigin } from './streamEntry.ts';

/** An origin silent for this many entries is forgotten (a replica that was closed or died): its duplicates cannot still be on their way. */
const FORGET_AFTER_ENTRIES = 100_000;

export const SeenRequestsSchema = z.array(
  z.object({ origin: z.string(), floor: z.number().int(), applied: z.array(z.number().int()), lastSeen: z.number().int().nonnegative() }),
);

interface Seen {
  /** Every request below it is settled at its origin. */
  floor: number;
  /** Requests at or above the floor already applied. */
  readonly applied: Set<number>;
  lastSeen: number;
}

/**
 * Which requests of each origin the stream has delivered, so a copy of an
 * entry (a proposal sent again after a reconnect) is applied once. Each
 * entry carries its origin's watermark, below which nothing of that origin
 * is outstanding; only the requests above it need remembering. The same
 * entries in the same order give the same answers on every replica.
 */
export class SeenRequests {
  readonly #origins = new Map<string, Seen>();

  /** True the first time the stream delivers this request; false for a duplicate. `position` is the entry's place in the stream. */
  admit({ origin, requestId, watermark }: EntryOrigin, position: number): boolean {
    let seen = this.#origins.get(origin);
    if (seen === undefined) this.#origins.set(origin, (seen = { floor: 0, applied: new Set(), lastSeen: position }));
    seen.lastSeen = position;
    if (requestId < seen.floor || seen.applied.has(requestId)) return false;
    seen.applied.add(requestId);
    if (watermark > seen.floor) {
      seen.floor = watermark;
      for (const id of seen.applied) if (id < watermark) seen.applied.delete(id);
    }
    return true;
  }

  /** Forgets the origins silent since long before `position`; called at the same positions on every replica. */
  forgetIdle(position: number): void {
    for (const [origin, seen] of this.#origins) if (position - seen.lastSeen > FORGET_AFTER_ENTRIES) this.#origins.delete(origin);
  }

  toJSON(): z.infer<typeof SeenRequestsSchema> {
    return [...this.#origins].map(([origin, { floor, applied, lastSeen }]) => ({ origin, floor, applied: [...applied], lastSeen }));
  }

  static from(saved: z.infer<typeof SeenRequestsSchema>): SeenRequests {
    const seen = new SeenRequests();
    for (const { origin, floor, applied, lastSeen } of saved) seen.#origins.set(origin, { floor, applied: new Set(applied), lastSeen });
    return seen;
  }
}
