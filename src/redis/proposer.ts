import type { Redis } from 'ioredis';
import { errorFromPayload } from '../errors.ts';
import { StateEntryTooLargeError, StateUnavailableError } from './redisErrors.ts';
import type { RequestFate } from './seenRequests.ts';
import { ENTRY_OVERHEAD, entryFields, PROPOSAL_OVERHEAD } from './streamEntry.ts';
import { sleep } from './sleep.ts';
import { deliverRead, READ_COUNT, type RawEntry, type TailSink } from './tailReader.ts';

/** Proposals in one entry: a burst of writes is one entry, and one entry's apply is one step of every replica. */
const ENTRY_PROPOSALS = 256;
/** Proposals sent in one pipeline: enough to fill a round trip, few enough to keep one from holding the connection. */
const PIPELINE_PROPOSALS = 16 * ENTRY_PROPOSALS;

/** How this replica's entries are bounded. */
export interface ProposerLimits {
  /** A proposal not applied within it rejects with StateUnavailableError. */
  readonly timeoutMs: number;
  /** No entry is larger; a proposal that could not fit in one alone is refused before it is queued. */
  readonly maxEntryBytes: number;
}

/**
 * The read that rides behind each pipeline of appends: the stream after the
 * replica's last entry (its own entries just appended included), then the
 * trim point, on the same connection and in that order, handed to the same
 * sink as the tail reader's reads (deliverRead).
 */
export interface ReadBack {
  /** The meta hash, which holds the trim point. */
  readonly meta: string;
  readonly sink: TailSink;
}

interface Outstanding {
  readonly requestId: number;
  readonly payload: Buffer;
  readonly operation: string;
  /** Redis acknowledged the XADD: the entry is in the stream. */
  appended: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Appends this replica's proposals to the stream, in the order they were
 * made, and holds each one's promise until the local replica applies its
 * entry. The proposals made while a pipeline is in flight go in the next one,
 * many to an entry. One pipeline is in flight at a time, so entries land in
 * request order; what a broken connection left unconfirmed is sent again, in order,
 * once Redis is back (the copies are applied once: see SeenRequests). A
 * proposal not applied within the timeout rejects with StateUnavailableError.
 */
export class Proposer {
  readonly #redis: Redis;
  readonly #stream: string;
  readonly #origin: string;
  readonly #label: string;
  readonly #timeoutMs: number;
  readonly #maxEntryBytes: number;
  /** Bytes an entry of this replica takes before its first proposal: the fields and the label. */
  readonly #emptyEntryBytes: number;
  /** Unsettled proposals by request id, oldest first (a Map keeps insertion order). */
  readonly #outstanding = new Map<number, Outstanding>();
  /** Proposals not yet confirmed appended, oldest first. */
  #unsent: Outstanding[] = [];
  #nextId = 1;
  #pumping = false;
  #drained: (() => void)[] = [];
  readonly #readBack: ReadBack;
  /** The pipeline in flight, settled when its reply (and what it read back) has been handed on; null when none is. */
  #appending: Promise<number> | null = null;

  constructor(
    redis: Redis,
    stream: string,
    { origin, label }: { origin: string; label: string },
    { timeoutMs, maxEntryBytes }: ProposerLimits,
    readBack: ReadBack,
  ) {
    this.#redis = redis;
    this.#stream = stream;
    this.#readBack = readBack;
    this.#origin = origin;
    this.#label = label;
    this.#timeoutMs = timeoutMs;
    this.#maxEntryBytes = maxEntryBytes;
    this.#emptyEntryBytes = ENTRY_OVERHEAD + Buffer.byteLength(label);
  }

  /** Queues one proposal's payload; the promise settles with its outcome at the local replica, or rejects at once when no entry could carry it. */
  propose(payload: Buffer, operation: string): Promise<unknown> {
    const bytes = this.#emptyEntryBytes + payload.length + PROPOSAL_OVERHEAD;
    if (bytes > this.#maxEntryBytes) return Promise.reject(new StateEntryTooLargeError(bytes, this.#maxEntryBytes));
    return new Promise((resolve, reject) => {
      const proposal: Outstanding = { requestId: this.#nextId++, payload, operation, appended: false, timer: undefined, resolve, reject };
      proposal.timer = setTimeout(() => this.#expire(proposal), this.#timeoutMs);
      this.#outstanding.set(proposal.requestId, proposal);
      this.#unsent.push(proposal);
      void this.#pump();
    });
  }

  /** The outcome of one of this replica's entries, as the local replica applied it; a request already settled (timed out) is ignored. */
  settle(requestId: number, outcome: Promise<unknown>): void {
    const proposal = this.#outstanding.get(requestId);
    if (proposal === undefined) return void outcome.catch(() => undefined);
    this.#finish(proposal);
    outcome.then(proposal.resolve, proposal.reject);
  }

  /**
   * Settles each waiting proposal that `fateOf` says was applied: after the
   * local replica was replaced by a snapshot covering it, its entry will not
   * be read again. One applied but whose outcome the snapshot did not keep
   * rejects as one that timed out after it was appended.
   */
  settleApplied(fateOf: (requestId: number) => RequestFate): void {
    for (const proposal of [...this.#outstanding.values()]) {
      const fate = fateOf(proposal.requestId);
      if (!fate.applied) continue;
      this.#finish(proposal);
      if (fate.outcome === undefined) proposal.reject(new StateUnavailableError(proposal.operation, this.#timeoutMs, true));
      else if (fate.outcome.ok) proposal.resolve(fate.outcome.result);
      else proposal.reject(errorFromPayload(fate.outcome.error));
    }
  }

  /**
   * Settles once no pipeline is in flight, a turn of the event loop after the
   * last one's reply: by then the writes its outcomes set off are proposed,
   * and their pipeline would read back what a read sent now would bring.
   */
  async quiet(): Promise<void> {
    do {
      await this.#appending?.catch(() => 0);
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.#appending !== null);
  }

  /** Resolves once every proposal made so far has settled. */
  drained(): Promise<void> {
    if (this.#outstanding.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drained.push(resolve));
  }

  /** The lowest request still unsettled: every entry carries it, so the replicas can forget the requests below it. */
  #watermark(): number {
    for (const requestId of this.#outstanding.keys()) return requestId;
    return this.#nextId;
  }

  #expire(proposal: Outstanding): void {
    this.#finish(proposal);
    proposal.reject(new StateUnavailableError(proposal.operation, this.#timeoutMs, proposal.appended));
  }

  #finish(proposal: Outstanding): void {
    clearTimeout(proposal.timer);
    this.#outstanding.delete(proposal.requestId);
    if (this.#outstanding.size === 0) for (const resolve of this.#drained.splice(0)) resolve();
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    let failures = 0;
    try {
      while (this.#unsent.length > 0) {
        // A proposal that timed out before it was confirmed is not sent again.
        this.#unsent = this.#unsent.filter((proposal) => this.#outstanding.has(proposal.requestId));
        const batch = this.#unsent.slice(0, PIPELINE_PROPOSALS);
        if (batch.length === 0) break;
        let confirmed: number;
        try {
          confirmed = await (this.#appending = this.#append(batch));
        } finally {
          this.#appending = null;
        }
        for (const proposal of batch.slice(0, confirmed)) proposal.appended = true;
        this.#unsent.splice(0, confirmed);
        if (confirmed < batch.length) await sleep(Math.min(25 * 2 ** failures++, 500));
        else failures = 0;
      }
    } finally {
      this.#pumping = false;
    }
  }

  /** How many of `batch`, from its first, Redis confirmed appended; the rest are sent again, in order. */
  async #append(batch: readonly Outstanding[]): Promise<number> {
    if (this.#redis.status !== 'ready') return 0;
    const origin = { origin: this.#origin, label: this.#label, watermark: this.#watermark() };
    const entries = this.#entriesOf(batch);
    const after = this.#readBack.sink.lastId();
    const pipeline = this.#redis.pipeline();
    for (const entry of entries) pipeline.xadd(this.#stream, '*', ...entryFields(origin, entry));
    pipeline.xrangeBuffer(this.#stream, `(${after}`, '+', 'COUNT', READ_COUNT).hget(this.#readBack.meta, 'floorId');
    let results: [Error | null, unknown][];
    try {
      results = (await pipeline.exec()) ?? [];
    } catch {
      return 0;
    }
    let confirmed = 0;
    for (const [i, entry] of entries.entries()) {
      if (results[i]?.[0] !== null) break;
      confirmed += entry.length;
    }
    const [[rangeError, range] = [null, null], [floorError, floor] = [null, null]] = results.slice(entries.length);
    try {
      // A reload that fails (Redis gone again) is retried when the tail reader finds the gap.
      if (rangeError === null && floorError === null)
        void deliverRead(this.#readBack.sink, after, (range as RawEntry[] | null) ?? [], floor)?.catch(() => undefined);
    } catch {
      // What the read-back could not hand on, the tail reader reads again: the appends stay confirmed.
    }
    return confirmed;
  }

  /** `batch` cut into entries, in order, each of at most ENTRY_PROPOSALS proposals and maxEntryBytes. */
  #entriesOf(batch: readonly Outstanding[]): Outstanding[][] {
    const entries: Outstanding[][] = [];
    let entry: Outstanding[] = [];
    let bytes = this.#emptyEntryBytes;
    for (const proposal of batch) {
      const size = proposal.payload.length + PROPOSAL_OVERHEAD;
      if (entry.length === ENTRY_PROPOSALS || (entry.length > 0 && bytes + size > this.#maxEntryBytes)) {
        entries.push(entry);
        entry = [];
        bytes = this.#emptyEntryBytes;
      }
      entry.push(proposal);
      bytes += size;
    }
    if (entry.length > 0) entries.push(entry);
    return entries;
  }
}
