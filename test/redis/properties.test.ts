/**
 * Random command sequences from three replicas. Awaited one by one, they
 * leave every replica identical to a local state given the same commands in
 * the same order (contents, version, history with its timestamps, marks, and
 * each command's outcome). Fired together, in whatever order the stream
 * takes them, they leave the replicas identical to each other.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createThreadSafeState, type ThreadSafeState } from 'concord-state';
import { connectThreadSafeState, type ReplicatedThreadSafeState } from 'concord-state/redis';
import { testRedis, uniqueName, type TestRedis } from './support/redisServer.ts';

type Shape = Record<string, unknown>;
const KEYS = ['a', 'b', 'c'];

type Command =
  | { kind: 'set'; key: string; value: number }
  | { kind: 'update'; a: number; c: number }
  | { kind: 'delete'; key: string }
  | { kind: 'modify'; key: string }
  | { kind: 'clear' }
  | { kind: 'rollback'; back: number }
  | { kind: 'setExpecting'; key: string; value: number; back: number }
  | { kind: 'markKnownGood' }
  | { kind: 'rollbackToLastKnownGood' }
  | { kind: 'clearHistory' };

const key = fc.constantFrom(...KEYS);
const value = fc.integer({ min: -5, max: 5 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('set' as const), key, value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), a: value, c: value }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), key }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('modify' as const), key }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('rollback' as const), back: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('setExpecting' as const), key, value, back: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'markKnownGood' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'rollbackToLastKnownGood' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clearHistory' as const }) },
);
const step = fc.record({ replica: fc.integer({ min: 0, max: 2 }), command });

/** Runs one command; the outcome is its result or its error's class name, as a replica and the local state must agree on. */
async function run(state: ThreadSafeState<Shape>, { kind, ...args }: Command, changedBy: string): Promise<unknown> {
  const version = state.getVersion();
  const write = (): Promise<unknown> => {
    switch (kind) {
      case 'set':
        return state.set((args as { key: string }).key, (args as { value: number }).value, { changedBy });
      case 'update':
        return state.update({ a: (args as { a: number }).a, c: (args as { c: number }).c }, { changedBy });
      case 'delete':
        return state.delete((args as { key: string }).key, { changedBy });
      case 'modify':
        return state.modify((args as { key: string }).key, (n) => (typeof n === 'number' ? n + 1 : 0), { changedBy });
      case 'clear':
        return state.clear({ changedBy });
      case 'rollback':
        return state.rollback(version - (args as { back: number }).back, { changedBy });
      case 'setExpecting':
        return state.set((args as { key: string }).key, (args as { value: number }).value, {
          changedBy,
          expectedVersion: version - (args as { back: number }).back,
        });
      case 'markKnownGood':
        return state.markKnownGood(`mark by ${changedBy}`);
      case 'rollbackToLastKnownGood':
        return state.rollbackToLastKnownGood({ changedBy });
      case 'clearHistory':
        return state.clearHistory();
    }
  };
  return write().then(
    (result) => ({ ok: result }),
    (error: unknown) => ({ error: (error as Error).name }),
  );
}

const held = (state: ThreadSafeState<Shape>) => ({
  contents: { ...state.snapshot() },
  version: state.getVersion(),
  history: state.getHistory(),
  marks: state.getKnownGoodMarks(),
});

let redis: TestRedis;
beforeAll(async () => {
  redis = await testRedis();
});
afterAll(async () => {
  await redis.dispose();
});

async function replicas(clock: () => number): Promise<ReplicatedThreadSafeState<Shape>[]> {
  const name = uniqueName('property');
  const options = { url: redis.url, name, maxHistorySize: 8, snapshotEvery: 7, clock };
  return Promise.all([0, 1, 2].map(() => connectThreadSafeState<Shape>(options)));
}

it('commands from three replicas, one at a time, match a local state given them in the same order', { timeout: 90_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), async (steps) => {
      let now = 1_000;
      const clock = () => now;
      const states = await replicas(clock);
      const local = createThreadSafeState<Shape>({ maxHistorySize: 8, clock });
      try {
        for (const [i, { replica, command }] of steps.entries()) {
          now = 1_000 + i;
          const replicated = await run(states[replica] as ThreadSafeState<Shape>, command, `r${replica}`);
          expect(replicated).toEqual(await run(local, command, `r${replica}`));
          // Each replica applies the others' writes in its own time: the next command of one must see them.
          await Promise.all(states.map((state) => state.sync()));
        }
        for (const state of states) expect(held(state)).toEqual(held(local));
      } finally {
        local.stop();
        await Promise.all(states.map((state) => state.close()));
      }
    }),
    { numRuns: 12 },
  );
});

it('commands fired together from three replicas leave every replica identical', { timeout: 90_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(step, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 6 }), async (rounds) => {
      let now = 1_000;
      const states = await replicas(() => now++);
      try {
        for (const round of rounds) {
          await Promise.all(round.map(({ replica, command }) => run(states[replica] as ThreadSafeState<Shape>, command, `r${replica}`)));
        }
        await Promise.all(states.map((state) => state.sync()));
        const [first, ...others] = states.map((state) => held(state as ThreadSafeState<Shape>));
        for (const other of others) expect(other).toEqual(first);
      } finally {
        await Promise.all(states.map((state) => state.close()));
      }
    }),
    { numRuns: 12 },
  );
});
