/**
 * Issue 13's fuzz test: hostile events and values, built by fast-check,
 * through every door (the facade, actor.send, another actor's sendTo, and
 * a worker's MessagePort, to the state actor and to an agent's actor). Every write carries an expectedVersion the state can never be at,
 * so whatever gets through the checks is still refused: after each case the
 * actor is active, the state, version and history are as they were, and the
 * mailbox still answers. CONCORD_FUZZ_RUNS sets the number of cases (a long soak).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createActor, createMachine, sendTo, toPromise, type AnyActorRef } from 'xstate';
import { createThreadSafeState } from 'concord-state';
import { fromWorkerAgent } from 'concord-state/workers';
import { COMMAND_TYPES, holes, nested, PROTOTYPE_NAMES, sharedLevels } from './fixtures/hostileShapes.ts';

const RUNS = Number(process.env.CONCORD_FUZZ_RUNS ?? 10_000);
const NEVER = 1e9;
const COMMANDS = COMMAND_TYPES;
const NAMES = PROTOTYPE_NAMES.filter((name) => name !== 'grant');

/** Throws on every question asked of it. Typed as the Error it wraps. */
function hostileProxy(): Error {
  const trap = () => {
    throw hostileProxy();
  };
  return new Proxy(new Error('hostile'), { get: trap, getPrototypeOf: trap, has: trap, ownKeys: trap, getOwnPropertyDescriptor: trap });
}

/** A hostile input, built only when the case runs: fast-check itself would trip over one while generating or reporting it. */
interface Built {
  readonly name: string;
  build(): unknown;
}
const lazy = (name: string, build: () => unknown): Built => ({ name, build, toString: () => name }) as Built;

const sparse = fc.oneof(fc.constant(2 ** 32 - 1), fc.integer({ min: 2, max: 1000 })).map((length) => lazy(`holes(${length})`, () => holes(length)));
const deep = fc.integer({ min: 990, max: 1_200 }).map((depth) => lazy(`deep(${depth})`, () => nested(depth)));
const shared = fc.integer({ min: 10, max: 30 }).map((depth) => lazy(`shared(${depth})`, () => sharedLevels(depth)));
const throwingGetter = fc.constantFrom('throw', 'proxy').map((kind) =>
  lazy(`getter(${kind})`, () =>
    Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw kind === 'proxy' ? hostileProxy() : new Error('getter');
      },
    }),
  ),
);
const prototypeNamed = fc.constantFrom(...NAMES).map((name) => lazy(`named(${name})`, () => JSON.parse(`{"${name}": {"${name}": 1}}`) as unknown));
const plain = fc.anything().map((value) => lazy('anything', () => value));
const hostileValue = fc.oneof(
  sparse,
  deep,
  shared,
  throwingGetter,
  prototypeNamed,
  fc.constant(lazy('proxy', hostileProxy)),
  fc.constant(lazy('function', () => () => undefined)),
  plain,
);

/** A type that answers `honest` times, then something else, or throws. */
const shiftingType = fc.record({ honest: fc.nat(6), first: fc.constantFrom(...COMMANDS), then: fc.constantFrom('throw', ...COMMANDS) });

const hostileEvent = fc.oneof(
  fc
    .record({ type: fc.constantFrom(...COMMANDS), key: fc.oneof(fc.constantFrom(...NAMES), fc.string()), value: hostileValue })
    .map(({ type, key, value }) => lazy(`${type} ${key} ${value.name}`, () => ({ type, key, value: value.build() }))),
  fc
    .record({ type: fc.constantFrom(...COMMANDS), values: fc.oneof(hostileValue, prototypeNamed) })
    .map(({ type, values }) => lazy(`${type} ${values.name}`, () => ({ type, values: values.build() }))),
  shiftingType.map(({ honest, first, then }) =>
    lazy(`type ${first} x${honest} then ${then}`, () => {
      let reads = 0;
      return {
        key: 'a',
        value: 1,
        get type() {
          if (reads++ < honest) return first;
          if (then === 'throw') throw hostileProxy();
          return then;
        },
      };
    }),
  ),
  fc.constant(lazy('null', () => null)),
  fc.constant(lazy('proxy', hostileProxy)),
  plain,
);

type Door = 'send' | 'sendTo' | 'set' | 'update' | 'modify';
const door = fc.constantFrom<Door>('send', 'sendTo', 'set', 'update', 'modify');

describe(`${RUNS} hostile inputs through every door`, () => {
  it('leave the actor active, the state, version and history as they were, and the mailbox answering', { timeout: 600_000 }, async () => {
    const state = createThreadSafeState<Record<string, unknown>>({ initialState: { a: 1, list: [1, 2] }, maxHistorySize: 50 });
    await state.set('b', { nested: true });
    const before = { version: state.getVersion(), snapshot: state.snapshot(), history: state.getHistory().length };
    const withNever = (event: unknown) => {
      try {
        if (typeof event === 'object' && event !== null) Object.defineProperty(event, 'expectedVersion', { value: NEVER, enumerable: true });
      } catch {
        // A Proxy or a frozen value: sent as it is; its type cannot route a write anyway.
      }
      return event;
    };
    await fc.assert(
      fc.asyncProperty(door, hostileEvent, hostileValue, async (through, builtEvent, builtValue) => {
        const event = builtEvent.build();
        const value = builtValue.build();
        switch (through) {
          case 'send':
            (state.actor.send as (event: unknown) => void)(withNever(event));
            break;
          case 'sendTo': {
            const sender = createActor(
              createMachine({
                entry: sendTo(
                  () => state.actor as AnyActorRef,
                  () => withNever(event) as never,
                ),
              }),
            );
            // XState's sendTo itself refuses some events (null): that fails the sender, its owner's to handle, never the state.
            sender.subscribe({ error: () => undefined });
            sender.start();
            break;
          }
          case 'set':
            await state.set('a', value, { expectedVersion: NEVER }).catch(() => undefined);
            break;
          case 'update':
            await state.update(value as Record<string, unknown>, { expectedVersion: NEVER }).catch(() => undefined);
            break;
          case 'modify':
            await state
              .modify(
                'list',
                () => {
                  if (typeof value === 'object' && value !== null) throw value as Error;
                  return value;
                },
                { expectedVersion: NEVER },
              )
              .catch(() => undefined);
            break;
        }
        expect(state.actor.getSnapshot().status).toBe('active');
        expect(state.getVersion()).toBe(before.version);
        expect(state.snapshot()).toBe(before.snapshot);
        expect(state.getHistory()).toHaveLength(before.history);
      }),
      { numRuns: RUNS },
    );
    await expect(state.set('after', true)).resolves.toBe(before.version + 1);
    state.stop();
  });
});

describe(`${RUNS} hostile commands through a worker's MessagePort`, () => {
  const fuzzer = fromWorkerAgent<{ version: number; posted: number }, { agentId: string; state: AnyActorRef; seed: number; runs: number }>(
    new URL('./fixtures/portFuzzer.worker.ts', import.meta.url),
  );

  it.each(['the state actor', "an agent's actor"] as const)(
    'sent to %s, leave it active, the state, version and history as they were',
    { timeout: 600_000 },
    async (target) => {
      const state = createThreadSafeState<Record<string, unknown>>({ initialState: { a: 1, list: [1, 2] }, maxHistorySize: 50 });
      await state.set('b', { nested: true });
      const before = { version: state.getVersion(), snapshot: state.snapshot(), history: state.getHistory() };
      const ref = target === 'the state actor' ? state.actor : state.forAgent('fuzzer', { write: ['a', 'list'] }).actor;
      const seed = Number(process.env.CONCORD_FUZZ_SEED ?? Date.now() % 2 ** 31);
      const agent = createActor(fuzzer, { input: { agentId: 'fuzzer', state: ref, seed, runs: RUNS } }).start();
      const output = await toPromise(agent);
      expect(output, `seed ${seed}`).toEqual({ version: before.version, posted: RUNS });
      expect(state.actor.getSnapshot().status).toBe('active');
      expect(state.snapshot()).toBe(before.snapshot);
      expect(state.getHistory()).toEqual(before.history);
      await expect(state.set('after', true)).resolves.toBe(before.version + 1);
      state.stop();
    },
  );
});
