/**
 * Side by side with the peers: what a user would otherwise pick
 * (Redux Toolkit, zustand vanilla, bare immer) and the floors under any
 * versioned store (a Map with a history ring, a raw XState send), on the same
 * workloads, in one process. `npx tsx --expose-gc bench/peers.ts` prints the table.
 */
import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { produce } from 'immer';
import { createActor, setup } from 'xstate';
import { createStore } from 'zustand/vanilla';
import { keyNames, numberedState, opsPerSecond, ROUNDS } from './harness.ts';

/** One figure: `subject` running `workload` over a state of `keys` keys. */
export interface PeerRow {
  workload: string;
  keys: number;
  subject: string;
  value: number;
  unit: 'ops/s' | 'ms' | 'µs';
  note?: string;
}

/** One subject's store, behind the calls every workload makes. */
interface PeerStore {
  set(key: string, value: number): void;
  get(key: string): number | undefined;
  update(values: Readonly<Record<string, number>>): void;
  /** A consistent, immutable view of every key. */
  snapshot(): unknown;
}

interface Peer {
  subject: string;
  /** Beside every figure but the snapshot's: what the subject keeps, and how it was set up. */
  note: string;
  /** Beside the snapshot's figure: why it costs what it costs. */
  snapshotNote: string;
  create(initial: Record<string, number>): PeerStore;
}

const NO_HISTORY = 'no history, no versions';
const HISTORY_SIZE = 1000;

const reduxToolkit: Peer = {
  subject: 'Redux Toolkit',
  note: `${NO_HISTORY}; serializable, immutable and action-creator checks off`,
  snapshotNote: `${NO_HISTORY}; getState() is O(1): immer freezes each new state`,
  create(initial) {
    const slice = createSlice({
      name: 'state',
      initialState: initial,
      reducers: {
        set(state, action: PayloadAction<{ key: string; value: number }>) {
          state[action.payload.key] = action.payload.value;
        },
        update(state, action: PayloadAction<Readonly<Record<string, number>>>) {
          Object.assign(state, action.payload);
        },
      },
    });
    const store = configureStore({
      reducer: slice.reducer,
      middleware: (getDefaultMiddleware) => getDefaultMiddleware({ serializableCheck: false, immutableCheck: false, actionCreatorCheck: false }),
    });
    const { set, update } = slice.actions;
    return {
      set: (key, value) => void store.dispatch(set({ key, value })),
      get: (key) => store.getState()[key],
      update: (values) => void store.dispatch(update(values)),
      snapshot: () => store.getState(),
    };
  },
};

const zustand: Peer = {
  subject: 'zustand',
  note: `${NO_HISTORY}; setState((s) => ({ ...s, [key]: v }), true): a new object per write, O(keys)`,
  snapshotNote: `${NO_HISTORY}; getState() is O(1): each write replaces the state, but nothing freezes it`,
  create(initial) {
    const store = createStore<Record<string, number>>()(() => initial);
    return {
      set: (key, value) => store.setState((state) => ({ ...state, [key]: value }), true),
      get: (key) => store.getState()[key],
      update: (values) => store.setState((state) => ({ ...state, ...values }), true),
      snapshot: () => store.getState(),
    };
  },
};

const immer: Peer = {
  subject: 'immer',
  note: `${NO_HISTORY}; produce() per write, auto-freeze on (immer's default)`,
  snapshotNote: `${NO_HISTORY}; the current state is O(1): produce() froze it`,
  create(initial) {
    let state = initial;
    return {
      set: (key, value) => {
        state = produce(state, (draft) => {
          draft[key] = value;
        });
      },
      get: (key) => state[key],
      update: (values) => {
        state = produce(state, (draft) => {
          Object.assign(draft, values);
        });
      },
      snapshot: () => state,
    };
  },
};

interface ChangeRecord {
  version: number;
  key: string;
  old: number | undefined;
  new: number;
}

/** What a hand-rolled versioned map costs: no copies, no mailbox, no validation. */
const mapFloor: Peer = {
  subject: 'floor: Map + history ring',
  note: `a version counter and a ring of the last ${HISTORY_SIZE} {version, key, old, new} records`,
  snapshotNote: 'a frozen copy of every key per call, O(keys), no cache',
  create(initial) {
    const map = new Map(Object.entries(initial));
    const history: ChangeRecord[] = [];
    let recorded = 0;
    let version = 0;
    const write = (key: string, value: number) => {
      history[recorded++ % HISTORY_SIZE] = { version, key, old: map.get(key), new: value };
      map.set(key, value);
    };
    return {
      set: (key, value) => {
        version++;
        write(key, value);
      },
      get: (key) => map.get(key),
      update: (values) => {
        version++;
        for (const key in values) write(key, values[key] as number);
      },
      snapshot: () => Object.freeze(Object.fromEntries(map)),
    };
  },
};

const PEERS: readonly Peer[] = [reduxToolkit, zustand, immer, mapFloor];

/** Written by every loop, so the JIT cannot drop the reads being timed. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written and never read: that is what keeps the reads
let sink: unknown;
/** Every write stores a value never stored before: immer, and so Redux Toolkit, skip a write of an unchanged value. */
let lastWritten = 0;

interface Workload {
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

function mixedLoop(readsPerTen: number): Workload['loop'] {
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

/** Two prebuilt payloads, alternated so each update changes all 100 values, and no payload is built inside the timed loop. */
const UPDATE_PAYLOADS = [1, 1000].map((offset) => Object.fromEntries(keyNames(100).map((key, i) => [key, offset + i])));

/** In this order because the update grows a 10-key state to 100 keys. */
const WORKLOADS: readonly Workload[] = [
  { workload: 'set', unit: 'ops/s', scale: perSecond, period: 1, loop: mixedLoop(0) },
  { workload: 'get', unit: 'ops/s', scale: perSecond, period: 1, loop: mixedLoop(10) },
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

/** Long enough to swamp timer noise, short enough for about a hundred figures in a minute. */
const ROUND_MILLIS = 20;

/**
 * opsPerSecond with the op count picked so one round lasts about ROUND_MILLIS
 * (a whole number of periods): a spread of 100,000 keys runs once a round,
 * a Map.get millions of times. The probe that picks it also warms the loop up.
 */
function calibratedRate(loop: (ops: number) => void, period: number): number {
  for (let ops = period; ; ops *= 4) {
    const started = performance.now();
    loop(ops);
    const elapsed = performance.now() - started;
    if (elapsed >= ROUND_MILLIS / 8) {
      const perRound = period * Math.max(1, Math.round((ops * ROUND_MILLIS) / elapsed / period));
      return opsPerSecond(perRound, () => loop(perRound));
    }
  }
}

/** Enough calls at 10 keys for the JIT to optimize each peer's path (an even number, a whole period of every workload). */
const WARM_UP_OPS = 2000;

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/**
 * Every peer on every workload at each key count (10, 1,000, 10,000 and
 * 100,000 by default), one store per peer and key count, plus one raw XState
 * send. About 50 s on a 2-core machine with 7 rounds.
 * @example const rows = await measurePeers({ keyCounts: [10, 1000] });
 */
export function measurePeers(options: { keyCounts?: readonly number[] } = {}): PeerRow[] {
  // Every loop runs every peer before any is timed, so the JIT has compiled
  // each path, and no call site has seen a single subject: one that has
  // inlines it, and times the first subject about 25% faster on fast workloads.
  for (const peer of PEERS) {
    const store = peer.create(numberedState(10));
    for (const { loop } of WORKLOADS) loop(store, keyNames(10))(WARM_UP_OPS);
  }
  const rows: PeerRow[] = [];
  for (const keyCount of options.keyCounts ?? [10, 1000, 10_000, 100_000]) {
    // A state's own keys are internalized strings, as literals in user code are;
    // keyNames' fresh strings would be internalized by the first lookups, timed against the first subject.
    const keys = Object.keys(numberedState(keyCount));
    for (const peer of PEERS) {
      const store = peer.create(numberedState(keyCount));
      for (const { workload, unit, scale, period, loop } of WORKLOADS) {
        collectGarbage();
        const value = scale(calibratedRate(loop(store, keys), period));
        rows.push({ workload, keys: keyCount, subject: peer.subject, value, unit, note: workload === 'snapshot' ? peer.snapshotNote : peer.note });
      }
    }
  }
  const actor = createActor(setup({}).createMachine({ on: { noop: {} } })).start();
  const sends = calibratedRate((ops) => {
    for (let i = 0; i < ops; i++) actor.send({ type: 'noop' });
  }, 1);
  actor.stop();
  rows.push({
    workload: 'set',
    keys: 0,
    subject: 'floor: XState no-op send',
    value: sends,
    unit: 'ops/s',
    note: `${NO_HISTORY}; one event, no state: the mailbox alone`,
  });
  return rows;
}

const formatValue = (value: number) => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(3));

/** Every subject's figure on every line, and each subject's notes. */
export function printTable(rows: readonly PeerRow[]): void {
  const subjects = [...new Set(rows.map((row) => row.subject))];
  const lines = new Map<string, PeerRow[]>();
  for (const row of rows) {
    const label = `${row.workload.padEnd(30)} ${String(row.keys).padStart(7)} ${row.unit.padEnd(6)}`;
    lines.set(label, [...(lines.get(label) ?? []), row]);
  }
  console.log(`${'workload'.padEnd(30)} ${'keys'.padStart(7)} ${'unit'.padEnd(6)}${subjects.map((subject) => subject.padStart(27)).join('')}`);
  for (const [label, cells] of lines) {
    const bySubject = new Map(cells.map((cell) => [cell.subject, formatValue(cell.value)]));
    console.log(`${label}${subjects.map((subject) => (bySubject.get(subject) ?? '-').padStart(27)).join('')}`);
  }
  console.log();
  for (const note of new Set(rows.map((row) => `${row.subject}${row.workload === 'snapshot' ? ', snapshot' : ''}: ${row.note ?? ''}`))) console.log(note);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`Concord's peers: medians of ${ROUNDS} rounds, Node ${process.version}\n`);
  printTable(measurePeers());
}
