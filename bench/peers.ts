/**
 * The peers that keep no history: what a user would otherwise pick (Redux
 * Toolkit, zustand vanilla, bare immer), and the floor under any versioned
 * store (a Map with a history ring). They run through peerHarness.ts; the
 * peers that keep history are in historyPeers.ts.
 */
import { configureStore, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { produce } from 'immer';
import { createStore } from 'zustand/vanilla';
import type { Peer } from './peerHarness.ts';

const NO_HISTORY = 'keeps no history, no versions';
const HISTORY_SIZE = 1000;

/** The slice Redux Toolkit runs with, with and without redux-undo: one reducer per write kind, immer drafts inside. */
export function stateSlice(initial: Record<string, number>) {
  return createSlice({
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
}

/** Redux Toolkit's development-time checks, off: they walk the whole state on every dispatch. */
export const CHECKS_OFF = { serializableCheck: false, immutableCheck: false, actionCreatorCheck: false } as const;

const reduxToolkit: Peer = {
  subject: 'Redux Toolkit',
  group: 'keeps no history',
  note: `${NO_HISTORY}; serializable, immutable and action-creator checks off`,
  snapshotNote: `${NO_HISTORY}; getState() is O(1): immer freezes each new state`,
  create(initial) {
    const slice = stateSlice(initial);
    const store = configureStore({ reducer: slice.reducer, middleware: (getDefaultMiddleware) => getDefaultMiddleware(CHECKS_OFF) });
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
  group: 'keeps no history',
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
  group: 'keeps no history',
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
export const mapFloor: Peer = {
  subject: 'floor: Map + history ring',
  group: 'floor',
  note: `a version counter and a ring of the last ${HISTORY_SIZE} {version, key, old, new} records`,
  snapshotNote: 'a frozen copy of every key per call, O(keys), no cache',
  rollbackNote: 'undoes the newest records, each undo a recorded write; its redo is the same call',
  create(initial) {
    const map = new Map(Object.entries(initial));
    const history: ChangeRecord[] = [];
    let recorded = 0;
    let version = 0;
    const write = (key: string, value: number) => {
      history[recorded++ % HISTORY_SIZE] = { version, key, old: map.get(key), new: value };
      map.set(key, value);
    };
    const undo = (versions: number) => {
      const undone = Array.from({ length: versions }, (_, i) => history[(recorded - 1 - i) % HISTORY_SIZE] as ChangeRecord);
      version++;
      // A key the undone write created goes away again.
      for (const record of undone) {
        if (record.old === undefined) map.delete(record.key);
        else write(record.key, record.old);
      }
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
      history: { depth: () => Math.min(recorded, HISTORY_SIZE), back: undo, forward: undo },
    };
  },
};

/** The peers that keep no history, and the floor, in the order the tables show them. */
export const PEERS_WITHOUT_HISTORY: readonly Peer[] = [reduxToolkit, zustand, immer, mapFloor];
