/**
 * The harness every peer runs through: the same workloads (set, get, the
 * reference's mixes, snapshot, update of 100 keys, rollback over 100
 * versions) at each key count, one store per peer and key count, in one
 * process. The peers themselves are in peers.ts (no history) and
 * historyPeers.ts; Concord runs the same workloads in concordWorkloads.ts.
 */
import type { Unit } from './line.ts';
import { collectGarbage, keyNames, median, microsPerCallWithin, numberedState, opsPerSecond, ROUNDS } from './harness.ts';

/** What a subject keeps, which decides what Concord is measured against it for. */
export type PeerGroup = 'Concord' | 'keeps history' | 'keeps no history' | 'floor';

/** One figure: `subject` running `workload` over a state of `keys` keys. */
export interface PeerRow {
  workload: string;
  keys: number;
  subject: string;
  group: PeerGroup;
  value: number;
  unit: Extract<Unit, 'ops/s' | 'ms' | 'µs'>;
  note?: string;
  /** Set when the figure took fewer rounds or calls than the others, to keep the run short: how many, and why. */
  capped?: string;
}

/** What a subject that keeps history offers the rollback workload. */
export interface PeerHistory {
  /** How many versions the store can go back over now. */
  depth(): number;
  /** Takes the state back `versions` versions: the call the rollback workload times. */
  back(versions: number): void;
  /** Untimed, after `back`: returns to where `back` started, by the subject's own redo. */
  forward(versions: number): void;
}

/** One subject's store, behind the calls every workload makes. */
export interface PeerStore {
  set(key: string, value: number): void;
  get(key: string): number | undefined;
  update(values: Readonly<Record<string, number>>): void;
  /** A consistent, immutable view of every key. */
  snapshot(): unknown;
  /** Absent on a subject that keeps no history: it has no rollback. */
  readonly history?: PeerHistory;
}

export interface Peer {
  subject: string;
  group: Exclude<PeerGroup, 'Concord'>;
  /** Beside every figure but the snapshot's and the rollback's: what the subject keeps, and how it was set up. */
  note: string;
  /** Beside the snapshot's figure: why it costs what it costs. */
  snapshotNote: string;
  /** Beside the rollback's figure: what its rollback is. */
  rollbackNote?: string;
  create(initial: Record<string, number>): PeerStore;
}

/** Written by every loop, so the JIT cannot drop the reads being timed. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written and never read: that is what keeps the reads
let sink: unknown;
/** Every write stores a value never stored before: immer, and so Redux Toolkit, skip a write of an unchanged value. */
let lastWritten = 0;

interface LoopWorkload {
  workload: string;
  unit: PeerRow['unit'];
  /** From ops/s to `unit`. */
  scale: (rate: number) => number;
  /** Ops in one repetition of the workload's pattern: rounds run whole repetitions, so a 90/10 mix is timed as 90/10. */
  period: number;
  /** A loop of `ops` operations whose cursor persists across rounds, so the writes cycle through every key. */
  loop: (store: PeerStore, keys: readonly string[]) => (ops: number) => void;
}

const perSecond = (rate: number) => rate;

function mixedLoop(readsPerTen: number): LoopWorkload['loop'] {
  return (store, keys) => {
    let cursor = 0;
    return (ops) => {
      let total = 0;
      for (let end = cursor + ops; cursor < end; cursor++) {
        const key = keys[cursor % keys.length] as string;
        if (cursor % 10 < readsPerTen) total += store.get(key) ?? 0;
        else store.set(key, --lastWritten);
      }
      sink = total;
    };
  };
}

/**
 * The get workload, Concord's included: reads alone, with no write branch,
 * in one loop every subject shares, since a get is synchronous in all of them.
 */
export function readLoop(store: Pick<PeerStore, 'get'>, keys: readonly string[]): (ops: number) => void {
  let cursor = 0;
  return (ops) => {
    let total = 0;
    for (let end = cursor + ops; cursor < end; cursor++) total += store.get(keys[cursor % keys.length] as string) ?? 0;
    sink = total;
  };
}

/** Two prebuilt payloads, alternated so each update changes all 100 values, and no payload is built inside the timed loop. */
export const UPDATE_PAYLOADS = [1, 1000].map((offset) => Object.fromEntries(keyNames(100).map((key, i) => [key, offset + i])));

/** In this order because the update grows a 10-key state to 100 keys; the rollback, last, goes back over the writes before it. */
const LOOP_WORKLOADS: readonly LoopWorkload[] = [
  { workload: 'set', unit: 'ops/s', scale: perSecond, period: 1, loop: mixedLoop(0) },
  { workload: 'get', unit: 'ops/s', scale: perSecond, period: 1, loop: readLoop },
  { workload: 'read-heavy 90% get / 10% set', unit: 'ops/s', scale: perSecond, period: 10, loop: mixedLoop(9) },
  { workload: 'write-heavy 10% get / 90% set', unit: 'ops/s', scale: perSecond, period: 10, loop: mixedLoop(1) },
  {
    workload: 'snapshot',
    unit: 'µs',
    scale: (rate) => 1e6 / rate,
    period: 1,
    loop: (store) => (ops) => {
      for (let i = 0; i < ops; i++) sink = store.snapshot();
    },
  },
  {
    workload: 'update of 100 keys',
    unit: 'ms',
    scale: (rate) => 1000 / rate,
    period: 2,
    loop: (store) => (ops) => {
      for (let i = 0; i < ops; i++) store.update(UPDATE_PAYLOADS[i % 2] as Record<string, number>);
    },
  },
];

export const ROLLBACK_WORKLOAD = 'rollback over 100 versions';
export const ROLLBACK_VERSIONS = 100;
/** Wall time one rollback figure may take, past its first call: at 100,000 keys a peer's redo can take seconds. */
export const ROLLBACK_BUDGET_MS = 1500;
/** Fewer calls than this is said beside the figure. */
const MIN_CALLS = 3;

/** Long enough to swamp timer noise, short enough for about a hundred figures in a minute. */
const ROUND_MILLIS = 20;
/**
 * Wall time one figure may take: past it, fewer rounds, said beside the
 * figure. At 100,000 keys a peer's write copies the whole state, and one
 * round of the write-heavy mix takes seconds.
 */
const FIGURE_BUDGET_MS = 1500;

/**
 * opsPerSecond with the op count picked so one round lasts about ROUND_MILLIS
 * (a whole number of periods): a spread of 100,000 keys runs once a round,
 * a Map.get millions of times. The probe that picks it also warms the loop
 * up. Where a warm-up round and ROUNDS rounds would outlast
 * FIGURE_BUDGET_MS, the probe is the warm-up and as many rounds follow as
 * fit; where none fits, the probe is the one round.
 */
function calibratedRate(loop: (ops: number) => void, period: number): { rate: number; capped?: string } {
  for (let ops = period; ; ops *= 4) {
    const started = performance.now();
    loop(ops);
    const elapsed = performance.now() - started;
    if (elapsed >= ROUND_MILLIS / 8) {
      const perRound = period * Math.max(1, Math.round((ops * ROUND_MILLIS) / elapsed / period));
      const roundMillis = (elapsed * perRound) / ops;
      if (roundMillis * (ROUNDS + 1) <= FIGURE_BUDGET_MS) return { rate: opsPerSecond(perRound, () => loop(perRound)) };
      const rounds = Math.min(ROUNDS, Math.floor((FIGURE_BUDGET_MS - elapsed) / roundMillis));
      if (rounds < 1) return { rate: (ops / elapsed) * 1000, capped: `1 round of ${Math.round(elapsed)} ms, the calibration's` };
      const rates = Array.from({ length: rounds }, () => {
        const roundStarted = performance.now();
        loop(perRound);
        return (perRound / (performance.now() - roundStarted)) * 1000;
      });
      return { rate: median(rates), capped: `${rounds} round${rounds === 1 ? '' : 's'} of ${Math.round(roundMillis)} ms after the calibration` };
    }
  }
}

/** Enough calls at 10 keys for the JIT to optimize each peer's path (an even number, a whole period of every workload), or as many as fit in WARM_UP_MS. */
const WARM_UP_OPS = 2000;
const WARM_UP_MS = 300;

function warmUp(loop: (ops: number) => void, period: number): void {
  const started = performance.now();
  for (let done = 0; done < WARM_UP_OPS && performance.now() - started < WARM_UP_MS; done += period * 10) loop(period * 10);
}

/** The rollback workload: at least ROLLBACK_VERSIONS versions written, then back over them (timed) and forward again (untimed). */
async function rollbackRow(peer: Peer, store: PeerStore, keys: readonly string[]): Promise<PeerRow | undefined> {
  const { history } = store;
  if (history === undefined) return undefined;
  for (let i = 0; history.depth() < ROLLBACK_VERSIONS; i++) store.set(keys[i % keys.length] as string, --lastWritten);
  const { micros, calls } = await microsPerCallWithin(
    () => history.forward(ROLLBACK_VERSIONS),
    () => history.back(ROLLBACK_VERSIONS),
    { budgetMs: ROLLBACK_BUDGET_MS, minCalls: 1 },
  );
  return {
    workload: ROLLBACK_WORKLOAD,
    keys: keys.length,
    subject: peer.subject,
    group: peer.group,
    value: micros / 1000,
    unit: 'ms',
    note: peer.rollbackNote ?? peer.note,
    ...(calls < MIN_CALLS ? { capped: `${calls} call${calls === 1 ? '' : 's'}: a call and its redo outlast ${ROLLBACK_BUDGET_MS} ms` } : {}),
  };
}

/**
 * Every peer on every workload at each key count (10, 1,000, 10,000 and
 * 100,000 by default), one store per peer and key count.
 * @example const rows = await measurePeers(PEERS, [10, 1000]);
 */
export async function measurePeers(peers: readonly Peer[], keyCounts: readonly number[] = [10, 1000, 10_000, 100_000]): Promise<PeerRow[]> {
  // Every loop runs every peer before any is timed, so the JIT has compiled
  // each path, and no call site has seen a single subject: one that has
  // inlines it, and times the first subject about 25% faster on fast workloads.
  for (const peer of peers) {
    const store = peer.create(numberedState(10));
    for (const { loop, period } of LOOP_WORKLOADS) warmUp(loop(store, keyNames(10)), period);
  }
  const rows: PeerRow[] = [];
  for (const keyCount of keyCounts) {
    // A state's own keys are internalized strings, as literals in user code are;
    // keyNames' fresh strings would be internalized by the first lookups, timed against the first subject.
    const keys = Object.keys(numberedState(keyCount));
    for (const peer of peers) {
      const store = peer.create(numberedState(keyCount));
      for (const { workload, unit, scale, period, loop } of LOOP_WORKLOADS) {
        collectGarbage();
        const { rate, capped } = calibratedRate(loop(store, keys), period);
        const note = workload === 'snapshot' ? peer.snapshotNote : peer.note;
        rows.push({
          workload,
          keys: keyCount,
          subject: peer.subject,
          group: peer.group,
          value: scale(rate),
          unit,
          note,
          ...(capped === undefined ? {} : { capped }),
        });
      }
      collectGarbage();
      const rollback = await rollbackRow(peer, store, keys);
      if (rollback !== undefined) rows.push(rollback);
    }
  }
  return rows;
}
