import { stateLogic, type StateOutcome } from '../../machines/state.logic.ts';
import type { Commit, StateConfig } from '../commands/stateEngine.ts';
import { originalOf } from '../eventGuard.ts';
import { BRIEF, toReadable, type Json } from './readable.ts';

/**
 * What the inspector reads of the shared state's actor beyond what XState
 * tells every inspector. Its `xstate.init` carries the state's config (a
 * guard and a clock, functions; the initial values, a Map): read as the
 * options it was made with. And each command's outcome and commit are left
 * on the snapshot that follows it (`context.lastOutcome`, `lastCommit`): a
 * reply sent to its `replyTo` is not an event every inspector sees (the
 * facade's go to an inbox outside the inspected system).
 */

/** True for a shared state's actor. */
export function isStateActor(actor: { readonly logic?: unknown }): boolean {
  return actor.logic === stateLogic;
}

/** The state actor's `xstate.init` as its options: how much history and how many snapshots it keeps, how many keys it started with. */
export function readableStateInit(event: { readonly input?: unknown }): Json {
  const config = event.input as Partial<StateConfig> | undefined;
  const number = (value: unknown): Json => (typeof value === 'number' ? value : null);
  return {
    type: 'xstate.init',
    input: {
      maxHistorySize: number(config?.maxHistorySize),
      snapshotCacheSize: number(config?.snapshotCacheSize),
      // createStateConfig turns enableSnapshots: false into a cache of 0.
      enableSnapshots: typeof config?.snapshotCacheSize === 'number' ? config.snapshotCacheSize > 0 : null,
      initialKeys: config?.initialState instanceof Map ? config.initialState.size : null,
    },
  };
}

/**
 * The events that may be the command a state actor's snapshot answers: the
 * event it handled, and what arrived: the event its entry copied it from,
 * or, for a malformed event the actor made (of a `null`, an object without a
 * type), what it received.
 */
export function commandsOf(handled: unknown): object[] {
  if (typeof handled !== 'object' || handled === null) return [];
  const { type, received } = handled as { type?: unknown; received?: unknown };
  const original = originalOf(handled);
  if (original !== undefined) return [handled, original];
  return type === 'state.malformed' && typeof received === 'object' && received !== null ? [handled, received] : [handled];
}

interface StateSnapshotView {
  readonly context?: { readonly lastOutcome?: StateOutcome | null; readonly lastCommit?: Commit | null };
}

/** The outcome of a command, as the state's snapshot after it holds it. */
export interface CommandOutcome {
  /** The outcome object itself: each command gets a new one, so a snapshot repeating it (the actor stopping) answers nothing new. */
  readonly outcome: StateOutcome;
  readonly ok: boolean;
  /** The result (trimmed) when applied, the error payload when refused. */
  readonly detail: Json;
  /** The version the command made; null when it made none (a read, a refusal, a write that changed nothing). */
  readonly version: number | null;
}

/** The outcome and commit on a state actor's snapshot, or null before its first command. */
export function outcomeOf(snapshot: unknown): CommandOutcome | null {
  const context = (snapshot as StateSnapshotView | undefined)?.context;
  const outcome = context?.lastOutcome;
  if (outcome === null || outcome === undefined || typeof outcome.ok !== 'boolean') return null;
  return {
    outcome,
    ok: outcome.ok,
    detail: toReadable(outcome.ok ? outcome.result : outcome.error, BRIEF),
    version: context?.lastCommit?.version ?? null,
  };
}
