/**
 * The peers that keep history, each set up as its documentation shows: a
 * history of the last 1,000 states where the subject bounds it, the whole
 * history where it cannot (Automerge). They run through peerHarness.ts, with
 * the same workloads as Concord; their rollback is their own undo.
 */
import * as Automerge from '@automerge/automerge';
import { configureStore, type Reducer } from '@reduxjs/toolkit';
import { createStore as createXStateStore } from '@xstate/store';
import { undoRedo } from '@xstate/store/undo';
import undoable, { ActionCreators, type StateWithHistory } from 'redux-undo';
import { temporal } from 'zundo';
import { createStore } from 'zustand/vanilla';
import type { Peer } from './peerHarness.ts';
import { CHECKS_OFF, stateSlice } from './peers.ts';

const HISTORY_LIMIT = 1000;
const BOUNDED = `keeps history: the last ${HISTORY_LIMIT.toLocaleString('en-US')} states`;

const zundo: Peer = {
  subject: 'zustand + zundo',
  group: 'keeps history',
  note: `${BOUNDED} (temporal, limit ${HISTORY_LIMIT}); setState((s) => ({ ...s, [key]: v }), true): a new object per write, O(keys)`,
  snapshotNote: `${BOUNDED}; getState() is O(1): each write replaces the state, but nothing freezes it`,
  rollbackNote: `${BOUNDED}; temporal.undo(100), then redo(100) untimed`,
  create(initial) {
    const store = createStore<Record<string, number>>()(temporal(() => initial, { limit: HISTORY_LIMIT }));
    const history = () => store.temporal.getState();
    return {
      set: (key, value) => store.setState((state) => ({ ...state, [key]: value }), true),
      get: (key) => store.getState()[key],
      update: (values) => store.setState((state) => ({ ...state, ...values }), true),
      snapshot: () => store.getState(),
      history: { depth: () => history().pastStates.length, back: (versions) => history().undo(versions), forward: (versions) => history().redo(versions) },
    };
  },
};

const reduxUndo: Peer = {
  subject: 'Redux Toolkit + redux-undo',
  group: 'keeps history',
  note: `${BOUNDED} (undoable, limit ${HISTORY_LIMIT}); checks off as for Redux Toolkit`,
  snapshotNote: `${BOUNDED}; getState().present is O(1): immer freezes each new state`,
  rollbackNote: `${BOUNDED}; jump(-100), then jump(100) untimed`,
  create(initial) {
    const slice = stateSlice(initial);
    const reducer: Reducer<StateWithHistory<Record<string, number>>> = undoable(slice.reducer, { limit: HISTORY_LIMIT });
    const store = configureStore({
      reducer,
      middleware: (getDefaultMiddleware) => getDefaultMiddleware(CHECKS_OFF),
    });
    const { set, update } = slice.actions;
    return {
      set: (key, value) => void store.dispatch(set({ key, value })),
      get: (key) => store.getState().present[key],
      update: (values) => void store.dispatch(update(values)),
      snapshot: () => store.getState().present,
      history: {
        depth: () => store.getState().past.length,
        back: (versions) => void store.dispatch(ActionCreators.jump(-versions)),
        forward: (versions) => void store.dispatch(ActionCreators.jump(versions)),
      },
    };
  },
};

const xstateStore: Peer = {
  subject: '@xstate/store + undoRedo',
  group: 'keeps history',
  note: `${BOUNDED} (undoRedo, snapshot strategy, historyLimit ${HISTORY_LIMIT}); a new context per write by spread, O(keys)`,
  snapshotNote: `${BOUNDED}; getSnapshot().context is O(1): each write replaces it, but nothing freezes it`,
  rollbackNote: `${BOUNDED}; 100 undo events, then 100 redo events untimed`,
  create(initial) {
    const store = createXStateStore({
      context: initial,
      on: {
        set: (context, event: { key: string; value: number }) => ({ ...context, [event.key]: event.value }),
        update: (context, event: { values: Readonly<Record<string, number>> }) => ({ ...context, ...event.values }),
      },
    }).with(undoRedo({ strategy: 'snapshot', historyLimit: HISTORY_LIMIT }));
    const repeat = (times: number, send: () => void) => {
      for (let i = 0; i < times; i++) send();
    };
    return {
      set: (key, value) => store.trigger.set({ key, value }),
      get: (key) => store.getSnapshot().context[key],
      update: (values) => store.trigger.update({ values }),
      snapshot: () => store.getSnapshot().context,
      history: {
        // The snapshot strategy keeps its past beside the context; the extension's types leave it out.
        depth: () => (store.getSnapshot() as unknown as { past: readonly unknown[] }).past.length,
        back: (versions) => repeat(versions, () => store.trigger.undo()),
        forward: (versions) => repeat(versions, () => store.trigger.redo()),
      },
    };
  },
};

type Doc = Automerge.Doc<Record<string, number>>;

/** A change writing back the values `doc` had at `heads`, found by Automerge's own diff: a rollback that keeps its history. */
function restore(doc: Doc, heads: Automerge.Heads): Doc {
  const patches = Automerge.diff(doc, Automerge.getHeads(doc), heads);
  return Automerge.change(doc, (draft) => {
    for (const patch of patches) {
      const key = patch.path[0] as string;
      // Going back before the update that grew a 10-key state to 100 keys deletes the keys it added.
      if (patch.action === 'del') delete draft[key];
      else if (patch.action === 'put' && typeof patch.value === 'number') draft[key] = patch.value;
      else throw new Error(`unexpected Automerge patch ${patch.action} at ${patch.path.join('.')}`);
    }
  });
}

const automerge: Peer = {
  subject: 'Automerge',
  group: 'keeps history',
  note: 'keeps every version (a CRDT document); one Automerge.change per write',
  snapshotNote: 'keeps every version; the document is an immutable value, returned as is',
  rollbackNote: 'keeps every version; a change writing back the values at the heads 100 changes back (Automerge.diff), then one writing forward again untimed',
  create(initial) {
    let doc: Doc = Automerge.from(initial);
    // The heads after each of the last changes, so that a rollback can name the version 100 changes back.
    const heads: Automerge.Heads[] = [Automerge.getHeads(doc)];
    const commit = (next: Doc) => {
      doc = next;
      heads.push(Automerge.getHeads(doc));
      if (heads.length > HISTORY_LIMIT) heads.shift();
    };
    let rollback: { to: Automerge.Heads; from: Automerge.Heads } | undefined;
    return {
      set: (key, value) =>
        commit(
          Automerge.change(doc, (draft) => {
            draft[key] = value;
          }),
        ),
      get: (key) => doc[key],
      update: (values) =>
        commit(
          Automerge.change(doc, (draft) => {
            for (const key in values) draft[key] = values[key] as number;
          }),
        ),
      snapshot: () => doc,
      history: {
        depth: () => heads.length - 1,
        back: (versions) => {
          rollback ??= { to: heads[heads.length - 1 - versions] as Automerge.Heads, from: Automerge.getHeads(doc) };
          doc = restore(doc, rollback.to);
        },
        forward: () => {
          if (rollback !== undefined) doc = restore(doc, rollback.from);
        },
      },
    };
  },
};

/** The peers that keep history, in the order the tables show them. */
export const PEERS_WITH_HISTORY: readonly Peer[] = [zundo, reduxUndo, xstateStore, automerge];
