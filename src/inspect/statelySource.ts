import { z } from 'zod';
import { ActorBook } from './actorBook.ts';
import { BRIEF, toReadable } from './readable.ts';
import type { Recorder } from './recorder.ts';

/**
 * The messages @statelyai/inspect's `createWebSocketInspector` sends: one
 * JSON text per inspection event, as its `convertXStateEvent` builds them
 * (and its `inspector.actor/event/snapshot` for hand-made ones). Only the
 * fields read here are checked; the rest may vary between its versions.
 */
const EventObjectSchema = z.looseObject({ type: z.string() });
const SnapshotSchema = z.looseObject({
  status: z.string().optional(),
  value: z.unknown().optional(),
  output: z.unknown().optional(),
  error: z.unknown().optional(),
});

export const StatelyMessageSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('@xstate.actor'),
    sessionId: z.string(),
    name: z.string().nullish(),
    parentId: z.string().nullish(),
    rootId: z.string().nullish(),
    definition: z.string().nullish(),
    snapshot: SnapshotSchema.nullish(),
  }),
  z.looseObject({ type: z.literal('@xstate.event'), sessionId: z.string(), sourceId: z.string().nullish(), event: EventObjectSchema }),
  z.looseObject({ type: z.literal('@xstate.snapshot'), sessionId: z.string(), event: EventObjectSchema.nullish(), snapshot: SnapshotSchema }),
]);

/** Names and ids longer than this are cut: they are shown and compared, and nobody reads a 10 MB event type. */
export const MAX_NAME_LENGTH = 300;

/** `text` cut to MAX_NAME_LENGTH characters, saying how much was left out. */
function short(text: string): string {
  return text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH)}… (${text.length - MAX_NAME_LENGTH} more characters)` : text;
}

const shortOrNull = (text: string | null | undefined) => (text == null ? null : short(text));

/** The machine config `definition` carries, when the actor runs a machine (a promise actor's is just `{ id }`). */
function machineIdOf(definition: string | null | undefined): string | null {
  if (typeof definition !== 'string') return null;
  try {
    const config: unknown = JSON.parse(definition);
    if (typeof config !== 'object' || config === null || !('states' in config || 'initial' in config)) return null;
    return 'id' in config && typeof config.id === 'string' ? short(config.id) : '(machine)';
  } catch {
    return null;
  }
}

/**
 * Turns one WebSocket connection's messages into recorder entries. Session
 * ids are numbered per process (`x:0` in every app), so each connection's
 * are prefixed with its origin (`ws:1/x:0`) and never meet this process's.
 * A message that is not an inspection event is skipped.
 */
export function createStatelySource(recorder: Recorder, origin: string): (message: unknown) => void {
  const book = new ActorBook(recorder);
  const scoped = (sessionId: string) => `${origin}/${short(sessionId)}`;

  const meet = (
    sessionId: string,
    facts: { id?: string; parentId?: string | null | undefined; rootId?: string | null | undefined; machineId?: string | null } = {},
  ) => {
    const id = scoped(sessionId);
    if (book.knows(id) && facts.id === undefined) return id;
    book.actor({
      sessionId: id,
      id: short(facts.id ?? sessionId),
      systemId: null,
      parentId: facts.parentId == null ? null : scoped(facts.parentId),
      rootId: facts.rootId == null ? null : scoped(facts.rootId),
      logic: facts.machineId == null ? 'actor' : 'machine',
      machineId: facts.machineId ?? null,
      origin,
    });
    return id;
  };

  const snapshot = (sessionId: string, snap: z.infer<typeof SnapshotSchema>, eventType: string | null) => {
    const status = snap.status ?? 'active';
    book.snapshot({
      sessionId,
      status,
      // Only a machine's snapshot has a value: the state it is in.
      value: snap.value === undefined ? null : toReadable(snap.value, BRIEF),
      eventType,
      ...(status === 'done' ? { output: toReadable(snap.output, BRIEF) } : {}),
      ...(status === 'error' ? { error: toReadable(snap.error, BRIEF) } : {}),
    });
  };

  return (message) => {
    const parsed = StatelyMessageSchema.safeParse(message);
    if (!parsed.success) return;
    const data = parsed.data;
    switch (data.type) {
      case '@xstate.actor': {
        // Its snapshot is read when the message is sent, not when the actor was made: it only tells a machine
        // (a snapshot with a value) apart; the snapshot messages that follow tell the states in order.
        const machineId = machineIdOf(data.definition) ?? (data.snapshot?.value === undefined ? null : (shortOrNull(data.name) ?? '(machine)'));
        meet(data.sessionId, { id: data.name ?? data.sessionId, parentId: data.parentId, rootId: data.rootId, machineId });
        break;
      }
      case '@xstate.event':
        recorder.append({
          kind: 'event',
          sourceId: data.sourceId == null ? null : meet(data.sourceId),
          targetId: meet(data.sessionId),
          type: short(data.event.type),
          event: toReadable(data.event, BRIEF),
        });
        break;
      case '@xstate.snapshot':
        snapshot(meet(data.sessionId), data.snapshot, shortOrNull(data.event?.type || null));
        break;
    }
  };
}
