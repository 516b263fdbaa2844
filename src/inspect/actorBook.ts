import type { Recorder } from './recorder.ts';
import type { ActorEntry, SnapshotEntry } from './recording.ts';

type ActorFacts = Omit<ActorEntry, 'seq' | 'at' | 'kind'>;
type SnapshotFacts = Omit<SnapshotEntry, 'seq' | 'at' | 'kind'>;

const sameActor = (a: ActorFacts, b: ActorFacts) =>
  a.id === b.id && a.systemId === b.systemId && a.parentId === b.parentId && a.rootId === b.rootId && a.logic === b.logic && a.machineId === b.machineId;

/**
 * What the stream has said about each actor, so it says only what is new:
 * an actor once, again only when more is known (its systemId arrives after
 * it is announced); a snapshot only when the status or the machine's state
 * changed (the state actor answers every command with a snapshot in the
 * same state, which would drown the transitions that matter).
 */
export class ActorBook {
  readonly #recorder: Recorder;
  readonly #actors = new Map<string, ActorFacts>();
  readonly #lastSnapshot = new Map<string, string>();

  constructor(recorder: Recorder) {
    this.#recorder = recorder;
  }

  knows(sessionId: string): boolean {
    return this.#actors.has(sessionId);
  }

  actor(facts: ActorFacts): void {
    const known = this.#actors.get(facts.sessionId);
    if (known !== undefined && sameActor(known, facts)) return;
    this.#actors.set(facts.sessionId, facts);
    this.#recorder.append({ kind: 'actor', ...facts });
  }

  snapshot(facts: SnapshotFacts): void {
    const key = JSON.stringify([facts.status, facts.value]);
    if (this.#lastSnapshot.get(facts.sessionId) === key) return;
    this.#lastSnapshot.set(facts.sessionId, key);
    this.#recorder.append({ kind: 'snapshot', ...facts });
  }
}
