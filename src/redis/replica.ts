import { actingAs, issueGrant, type Grant } from '../access/grants.ts';
import type { LogEffect, LoggedState, WriteLog } from '../commands/logStep.ts';
import { ActorBackedState } from '../createThreadSafeState.ts';
import { countDeniedRead } from '../../machines/state.logic.ts';
import { StateAccessError, StateConflictError, StateKeyConflictError, ThreadSafeStateError } from '../errors.ts';
import type { VersionOrigin } from '../inspect/versionOrigin.ts';
import type { ThreadSafeStateOptions } from '../options.ts';
import type { PersistedState } from '../snapshots/persistedState.ts';
import type { StateKey, WriteOptions } from '../threadSafeState.ts';
import { setOwnKey } from '../values/setOwnKey.ts';
import { imageIn, type ReplicaSnapshot } from './replicaSnapshot.ts';
import { SeenRequests, type RequestFate } from './seenRequests.ts';
import { payloadOf } from '../commands/thrown.ts';
import type { Proposal, StreamEntry, WireWrite } from './streamEntry.ts';
import { VersionOrigins } from './versionOrigins.ts';

const LOGGED = Promise.resolve();

/** One proposal of an entry as this replica applied it: its request number, and what its proposer's promise settles with. */
export interface AppliedProposal {
  readonly requestId: number;
  readonly outcome: Promise<unknown>;
}
const REFUSED = new ThreadSafeStateError(
  'A replicated state takes writes only from its stream: write through the state connectThreadSafeState returned, not by sending its actor commands',
);

/**
 * One replica: a local state actor fed by the stream, one proposal at a
 * time, in stream order. Everything decided here (duplicates, compare-and-swap on
 * versions and key versions, the result of each command) depends only on
 * the entries before it, so every replica decides the same. The local state
 * takes no write from anywhere else: its log refuses it.
 */
export class Replica<T extends object> {
  readonly state: ActorBackedState<T>;
  readonly #seen: SeenRequests;
  readonly #origins: VersionOrigins;
  readonly #maxHistorySize: number;
  #position: number;
  #lastId: string;
  #applying = false;
  /** The timestamp of the entry being applied: the local state's clock. */
  #now = 0;
  /** Who proposed the entry being applied: the origin of the version it makes. */
  #proposedBy: VersionOrigin = { id: '', label: '' };

  /** A replica loaded from `snapshot`, or a new state seeded with the options' initialState when there is none. */
  constructor(options: ThreadSafeStateOptions<T>, maxHistorySize: number, snapshot: ReplicaSnapshot | null) {
    const log: WriteLog = {
      append: (effect, logged) => this.#record(effect, logged),
      refusal: () => (this.#applying ? null : REFUSED),
    };
    const { initialState, ...rest } = options;
    const local = { ...rest, maxHistorySize, clock: () => this.#now };
    this.state =
      snapshot === null
        ? new ActorBackedState<T>({ ...local, ...(initialState === undefined ? {} : { initialState }) }, { log })
        : new ActorBackedState<T>(local, { log, restore: { image: imageIn(snapshot), effects: [] } });
    this.#maxHistorySize = maxHistorySize;
    this.#seen = snapshot === null ? new SeenRequests() : SeenRequests.from(snapshot.seen);
    this.#origins = snapshot === null ? new VersionOrigins() : VersionOrigins.from(snapshot.origins);
    this.#position = snapshot?.position ?? 0;
    this.#lastId = snapshot?.streamId ?? '0-0';
  }

  /** The last entry applied, '0-0' before the first. */
  get lastId(): string {
    return this.#lastId;
  }

  /** Entries applied (duplicates and unreadable ones included), counted from the stream's first. */
  get position(): number {
    return this.#position;
  }

  /** The version of the key's last write, a delete included; 0 when it was never written. */
  keyVersion(key: string): number {
    return this.state.keyVersion(key as StateKey<T>);
  }

  /** Which replica proposed the entry that made `version` (its id and label), while the history window holds the version. */
  originOf(version: number): VersionOrigin | undefined {
    return this.#origins.of(version);
  }

  /**
   * Applies the next entry of the stream, its proposals in order. Returns
   * the outcome of each one asked (what its proposer's promise settles
   * with); a duplicate, or a proposal no replica can read, asks nothing.
   */
  apply(entry: StreamEntry): AppliedProposal[] {
    this.#position++;
    this.#lastId = entry.id;
    if (this.#position % 1000 === 0) this.#seen.forgetIdle(this.#position);
    this.#proposedBy = { id: entry.origin, label: entry.label };
    const applied: AppliedProposal[] = [];
    for (const { requestId, proposal } of entry.proposals) {
      if (proposal === null || !this.#seen.admit(entry.origin, requestId, entry.watermark, this.#position)) continue;
      applied.push({ requestId, outcome: this.#applyProposal(entry, requestId, proposal) });
    }
    return applied;
  }

  #applyProposal(entry: StreamEntry, requestId: number, proposal: Proposal): Promise<unknown> {
    const refused = this.#refusal(proposal);
    if (refused !== null) {
      this.#seen.record(entry.origin, requestId, { ok: false, error: payloadOf(refused) });
      return Promise.reject(refused);
    }
    this.#now = proposal.timestamp;
    this.#applying = true;
    let outcome: Promise<unknown>;
    try {
      outcome = this.#feed(proposal.write, optionsOf(proposal));
    } finally {
      this.#applying = false;
    }
    // Known now, before its promise settles: the local actor answered it in this very step, so a snapshot taken next keeps it.
    const { lastOutcome } = this.state.actor.getSnapshot().context;
    const { write } = proposal;
    if (lastOutcome !== null) {
      const modified = write.type === 'set' && write.modify === true && lastOutcome.ok;
      this.#seen.record(entry.origin, requestId, modified ? { ok: true, result: this.state.get(write.key as never) } : lastOutcome);
    }
    return outcome;
  }

  /** Whether this replica's state holds a request of `origin`, and how it ended: what a proposer left waiting by a reload is told. */
  fateOf(origin: string, requestId: number): RequestFate {
    return this.#seen.fateOf(origin, requestId);
  }

  /** Everything a replica joining at this point needs. */
  snapshot(): ReplicaSnapshot {
    const persisted = this.state.actor.getPersistedSnapshot() as unknown as PersistedState;
    return {
      format: 'concord-replica',
      formatVersion: 1,
      streamId: this.#lastId,
      position: this.#position,
      maxHistorySize: this.#maxHistorySize,
      image: persisted.image,
      seen: this.#seen.toJSON(),
      origins: this.#origins.toJSON(),
    };
  }

  #record(effect: LogEffect, { history }: LoggedState): Promise<void> {
    if (effect.kind === 'commit') {
      this.#origins.record(effect.version, this.#proposedBy);
    }
    // The history has taken this effect already: the versions it no longer reaches lose their origins with it.
    this.#origins.dropThrough(history.floor);
    return LOGGED;
  }

  /** The compare-and-swap checks, decided here rather than by the local actor so the key versions are checked in the same step. */
  #refusal({ write, expectedVersion, agent }: Proposal): StateConflictError | StateAccessError | null {
    const version = this.state.getVersion();
    if (expectedVersion !== undefined && expectedVersion !== version) return new StateConflictError(expectedVersion, version);
    const expected: [string, number][] =
      write.type === 'update'
        ? (write.expectedKeyVersions ?? [])
        : (write.type === 'set' || write.type === 'delete') && write.expectedKeyVersion !== undefined
          ? [[write.key, write.expectedKeyVersion]]
          : [];
    for (const [key, keyVersion] of expected) {
      // A key's version tells when it was written: an agent comparing against one must be able to read it, as on a local state.
      if (agent !== undefined && !grantOf(agent).read.matches(key)) {
        countDeniedRead(this.state.actor.getSnapshot().context.reader);
        return new StateAccessError(agent.agentId, key, 'read');
      }
      if (this.keyVersion(key) !== keyVersion) return new StateKeyConflictError(key, keyVersion, this.keyVersion(key));
    }
    return null;
  }

  /** Sends the write to the local state; it is applied before this returns (the mailbox is idle here), and settles as the state's own promise does. */
  #feed(write: WireWrite, options: WriteOptions): Promise<unknown> {
    const state = this.state;
    switch (write.type) {
      case 'set': {
        const applied = state.set(write.key as never, write.value as never, options);
        if (write.modify !== true) return applied;
        // The stored value as of this entry, read before any later entry moves it.
        const value = state.get(write.key as never);
        return applied.then(() => value);
      }
      case 'update': {
        const values = Object.create(null) as Record<string, unknown>;
        for (const [key, value] of write.entries) setOwnKey(values, key, value);
        return state.update(values as Partial<T>, options);
      }
      case 'delete':
        return state.delete(write.key as never, options);
      case 'clear':
        return state.clear(options);
      case 'rollback':
        return state.rollback(write.version, options);
      case 'rollbackToKnownGood':
        return state.rollbackToLastKnownGood(options);
      case 'retain':
        return state.recoverFromCorruptedState(write.keys, options);
      case 'clearHistory':
        return state.clearHistory();
      case 'markKnownGood':
        return state.markKnownGood(write.label);
    }
  }
}

/** Grants are made once per agent and patterns, not per entry; a bound keeps a stream of ever new agents from growing it. */
const grants = new Map<string, Grant>();
const MAX_GRANTS = 1024;

function grantOf(agent: NonNullable<Proposal['agent']>): Grant {
  const id = JSON.stringify([agent.agentId, agent.read ?? null, agent.write ?? null]);
  let grant = grants.get(id);
  if (grant === undefined) {
    if (grants.size >= MAX_GRANTS) grants.clear();
    const { agentId, ...access } = agent;
    grants.set(id, (grant = issueGrant(agentId, access)));
  }
  return grant;
}

/** The entry's options for the local state: who, and, for an agent's entry, its grant, checked here as on every replica. */
function optionsOf({ changedBy, agent }: Proposal): WriteOptions {
  const options: WriteOptions = changedBy === null ? {} : { changedBy };
  return agent === undefined ? options : Object.assign(options, { [actingAs]: grantOf(agent) });
}
