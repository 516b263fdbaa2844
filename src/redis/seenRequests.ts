import { z } from 'zod';
import { ErrorPayloadSchema } from '../protocol.ts';

/** An origin silent for this many entries is forgotten (a replica that was closed or died): its duplicates cannot still be on their way. */
const FORGET_AFTER_ENTRIES = 100_000;

/** How an applied request ended, for its origin to be told after loading a snapshot that covers it (see ReplicatedState's reload). */
export const RequestOutcomeSchema = z.union([
  z.object({ ok: z.literal(true), result: z.unknown() }),
  z.object({ ok: z.literal(false), error: ErrorPayloadSchema }),
]);
export type RequestOutcome = z.infer<typeof RequestOutcomeSchema>;

export const SeenRequestsSchema = z.array(
  z.object({
    origin: z.string(),
    floor: z.number().int(),
    applied: z.array(z.number().int()),
    lastSeen: z.number().int().nonnegative(),
    /** A snapshot published before outcomes were kept has none. */
    outcomes: z.array(z.tuple([z.number().int(), RequestOutcomeSchema])).default([]),
  }),
);

interface Seen {
  /** Every request below it is settled at its origin. */
  floor: number;
  /** Requests at or above the floor already applied, with how they ended once the local state has said. */
  readonly applied: Map<number, RequestOutcome | undefined>;
  lastSeen: number;
}

/** What a snapshot knows of one request of an origin. */
export type RequestFate = { readonly applied: false } | { readonly applied: true; readonly outcome: RequestOutcome | undefined };

/**
 * Which requests of each origin the stream has delivered, so a copy of an
 * entry (a proposal sent again after a reconnect) is applied once. Each
 * entry carries its origin's watermark, below which nothing of that origin
 * is outstanding; only the requests above it need remembering. The same
 * entries in the same order give the same answers on every replica.
 */
export class SeenRequests {
  readonly #origins = new Map<string, Seen>();

  /** True the first time the stream delivers this request; false for a duplicate. `position` is its entry's place in the stream. */
  admit(origin: string, requestId: number, watermark: number, position: number): boolean {
    let seen = this.#origins.get(origin);
    if (seen === undefined) this.#origins.set(origin, (seen = { floor: 0, applied: new Map(), lastSeen: position }));
    seen.lastSeen = position;
    if (requestId < seen.floor || seen.applied.has(requestId)) return false;
    seen.applied.set(requestId, undefined);
    if (watermark > seen.floor) {
      seen.floor = watermark;
      for (const id of seen.applied.keys()) if (id < watermark) seen.applied.delete(id);
    }
    return true;
  }

  /** Keeps how an admitted request ended, while its origin may still wait for it. */
  record(origin: string, requestId: number, outcome: RequestOutcome): void {
    const applied = this.#origins.get(origin)?.applied;
    if (applied?.has(requestId)) applied.set(requestId, outcome);
  }

  /** Whether the stream had delivered this request, and how it ended if that is known. */
  fateOf(origin: string, requestId: number): RequestFate {
    const seen = this.#origins.get(origin);
    if (seen === undefined || requestId < seen.floor) return { applied: false };
    return seen.applied.has(requestId) ? { applied: true, outcome: seen.applied.get(requestId) } : { applied: false };
  }

  /** Forgets the origins silent since long before `position`; called at the same positions on every replica. */
  forgetIdle(position: number): void {
    for (const [origin, seen] of this.#origins) if (position - seen.lastSeen > FORGET_AFTER_ENTRIES) this.#origins.delete(origin);
  }

  toJSON(): z.infer<typeof SeenRequestsSchema> {
    return [...this.#origins].map(([origin, { floor, applied, lastSeen }]) => ({
      origin,
      floor,
      applied: [...applied.keys()],
      lastSeen,
      outcomes: [...applied].flatMap(([id, outcome]): [number, RequestOutcome][] => (outcome === undefined ? [] : [[id, outcome]])),
    }));
  }

  static from(saved: z.infer<typeof SeenRequestsSchema>): SeenRequests {
    const seen = new SeenRequests();
    for (const { origin, floor, applied, lastSeen, outcomes } of saved) {
      const known = new Map(outcomes);
      seen.#origins.set(origin, { floor, applied: new Map(applied.map((id) => [id, known.get(id)])), lastSeen });
    }
    return seen;
  }
}
