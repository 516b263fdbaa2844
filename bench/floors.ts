/**
 * The floors under Concord's own lines, measured in the same run: what the
 * same work costs with nothing of Concord's in the way (a Map, the leanest
 * XState actor, a frozen object built by hand, the peers' Map with a ring of
 * history records).
 */
import { createActor, fromTransition, setup } from 'xstate';
import { heapHeldBy } from './heap.ts';
import { keyNames, microsPerCall, numberedState, opsPerSecond } from './harness.ts';
import { lineOf, type Line } from './line.ts';
import { mapFloor } from './peers.ts';

/** Written by every read loop, so the JIT cannot drop the reads being timed. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- written and never read: that is what keeps the reads
let sink: unknown;

type MapEvent = { type: 'set'; key: string; value: number } | { type: 'update'; values: Readonly<Record<string, number>> };

/** The leanest XState actor holding a state: a transition function writing a Map, sent to without awaiting anything. */
function transitionActor(initial: Record<string, number>) {
  const logic = fromTransition(
    (map: Map<string, number>, event: MapEvent) => {
      if (event.type === 'set') return map.set(event.key, event.value);
      for (const key in event.values) map.set(key, event.values[key] as number);
      return map;
    },
    new Map(Object.entries(initial)),
  );
  return createActor(logic).start();
}

/** The reference's mixed loop over 100 keys on that actor: reads from its snapshot, writes sent. */
function transitionMix(readEvery: (i: number) => boolean): number {
  const actor = transitionActor(numberedState(100));
  const keys = keyNames(100);
  return opsPerSecond(1_000_000, () => {
    let total = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const key = keys[i % 100] as string;
      if (readEvery(i)) total += actor.getSnapshot().context.get(key) ?? 0;
      else actor.send({ type: 'set', key, value: i });
    }
    sink = total;
  });
}

/** Every floor, by what it is the floor of. */
export async function measureFloors(record: (line: Line) => Line) {
  const floorMap = new Map<string, number>();
  const tenKeys = keyNames(10);
  const mapSet = record(
    lineOf('floor: Map.set (10 keys)', {
      value: opsPerSecond(1_000_000, () => {
        for (let i = 0; i < 1_000_000; i++) floorMap.set(tenKeys[i % 10] as string, i);
      }),
      unit: 'ops/s',
    }),
  );
  const readMap = new Map(Object.entries(numberedState(100)));
  const mapGet = record(
    lineOf('floor: Map.get (100 keys)', {
      value: opsPerSecond(2_000_000, () => {
        let total = 0;
        for (let i = 0; i < 2_000_000; i++) total += readMap.get('key_7') ?? 0;
        sink = total;
      }),
      unit: 'ops/s',
    }),
  );
  const noopActor = createActor(setup({}).createMachine({ on: { noop: {} } })).start();
  const rawSend = record(
    lineOf(
      'floor: raw XState no-op send',
      {
        value: opsPerSecond(300_000, () => {
          for (let i = 0; i < 300_000; i++) noopActor.send({ type: 'noop' });
        }),
        unit: 'ops/s',
      },
      [],
      'a machine: one macrostep per event',
    ),
  );
  const setActor = transitionActor({});
  const transitionSend = record(
    lineOf(
      'floor: XState fromTransition send, one Map.set',
      {
        value: opsPerSecond(1_000_000, () => {
          for (let i = 0; i < 1_000_000; i++) setActor.send({ type: 'set', key: tenKeys[i % 10] as string, value: i });
        }),
        unit: 'ops/s',
      },
      [],
      'no version, no history, no promise',
    ),
  );
  const readHeavy = record(lineOf('floor: fromTransition, 90% get / 10% send, 100 keys', { value: transitionMix((i) => i % 10 !== 0), unit: 'ops/s' }));
  const writeHeavy = record(lineOf('floor: fromTransition, 10% get / 90% send, 100 keys', { value: transitionMix((i) => i % 10 === 0), unit: 'ops/s' }));
  const updateActor = transitionActor({});
  const hundred = keyNames(100);
  let batch = 0;
  const transitionUpdate = record(
    lineOf('floor: fromTransition send of 100 Map.sets', {
      value:
        (await microsPerCall(
          () => undefined,
          () => updateActor.send({ type: 'update', values: Object.fromEntries(hundred.map((key) => [key, batch++])) }),
        )) / 1000,
      unit: 'ms',
    }),
  );
  // V8 keeps an object of 1,000 keys in dictionary mode, so each key is a hash insert.
  const storeValues = new Map(Object.entries(numberedState(1000)));
  const buildAndFreeze = record(
    lineOf('floor: build and freeze a 1,000-key object', {
      value: await microsPerCall(
        () => undefined,
        () => {
          const object = Object.create(null) as Record<string, unknown>;
          storeValues.forEach((value, key) => (object[key] = value));
          return Object.freeze(object);
        },
      ),
      unit: 'µs',
    }),
  );
  const small = { id: 7, label: 'seven', tags: ['a', 'b', 'c'] };
  const copySmall = record(
    lineOf('floor: copy the small object by hand', {
      value: opsPerSecond(500_000, () => {
        for (let i = 0; i < 500_000; i++) sink = { ...small, tags: [...small.tags] };
      }),
      unit: 'ops/s',
    }),
  );
  const ring = mapFloor.create({});
  let ringWrites = 0;
  const ringRollback = record(
    lineOf('floor: Map + history ring, undo 100 records', {
      value:
        (await microsPerCall(
          () => {
            for (let i = 0; i < 100; i++) ring.set(hundred[i] as string, ringWrites++);
          },
          () => ring.history?.back(100),
        )) / 1000,
      unit: 'ms',
    }),
  );
  const ringHeap = record(
    lineOf('floor: heap held by a Map + history ring of 1000, after 100,000 sets', {
      value: await heapHeldBy(() => {
        const held = mapFloor.create({});
        for (let i = 0; i < 100_000; i++) held.set(hundred[i % 100] as string, i);
        return held;
      }),
      unit: 'MB',
    }),
  );
  return { mapSet, mapGet, rawSend, transitionSend, readHeavy, writeHeavy, transitionUpdate, buildAndFreeze, copySmall, ringRollback, ringHeap };
}

export type Floors = Awaited<ReturnType<typeof measureFloors>>;
