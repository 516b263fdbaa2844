/**
 * Hostile input found while testing bad input: getters and Proxies that
 * throw, XState's own events sent from outside, options that are not objects.
 * Each once stopped the actor or jammed the facade; each must be answered
 * with an error and leave the state working.
 *
 * Tests whose bug kills the actor run under fake timers: XState reports the
 * actor's error with `setTimeout(() => { throw err })`, which would otherwise
 * surface as an unhandled error of the whole run.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, sendTo, setup } from 'xstate';
import { createThreadSafeState, StateValidationError, type StateShape, type ThreadSafeState, type WriteOptions } from 'concord-state';
import { callWrite, expectAlive } from './helpers.ts';

function seeded(): ThreadSafeState {
  return createThreadSafeState<StateShape>({ initialState: { a: 1 } });
}

/** Runs `body` with timers faked, and drops whatever XState scheduled to rethrow. */
function swallowingReportedErrors(body: () => void): void {
  vi.useFakeTimers();
  try {
    body();
  } finally {
    vi.clearAllTimers();
    vi.useRealTimers();
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('hostile input', () => {
  it('an event whose field getter throws is rejected and the actor stays active', () => {
    swallowingReportedErrors(() => {
      const state = seeded();
      const hostile = {
        type: 'state.set',
        get key(): string {
          throw new Error('hostile getter');
        },
        value: 1,
      };
      state.actor.send(hostile as never);
      expect(state.actor.getSnapshot().status).toBe('active');
      expect(state.getMetrics().rejectedCount).toBe(1);
    });
  });

  it('an event whose replyTo getter throws is rejected and the actor stays active', () => {
    swallowingReportedErrors(() => {
      const state = seeded();
      const hostile = {
        type: 'state.get',
        key: 'a',
        get replyTo(): unknown {
          throw new Error('hostile replyTo');
        },
      };
      state.actor.send(hostile as never);
      expect(state.actor.getSnapshot().status).toBe('active');
    });
  });

  it('update() with a Proxy whose getPrototypeOf trap throws is rejected and the actor stays active', () => {
    swallowingReportedErrors(() => {
      const state = seeded();
      const hostile = new Proxy(
        {},
        {
          getPrototypeOf() {
            throw new Error('hostile proxy');
          },
        },
      );
      const pending = callWrite(() => state.update(hostile));
      pending.catch(() => undefined);
      expect(state.actor.getSnapshot().status).toBe('active');
    });
  });

  it('a { type: "xstate.stop" } event sent by an agent does not stop the shared state', async () => {
    const state = seeded();
    state.actor.send({ type: 'xstate.stop' } as never);
    expect(state.actor.getSnapshot().status).toBe('active');
    await expectAlive(state);
  });

  it('xstate.stop sent by another actor with sendTo does not stop the shared state either', async () => {
    const state = seeded();
    const saboteur = createActor(setup({}).createMachine({ entry: sendTo(() => state.actor, { type: 'xstate.stop' } as never) })).start();
    saboteur.stop();
    expect(state.actor.getSnapshot().status).toBe('active');
    expect(state.getMetrics().rejectedCount).toBe(1);
    await expectAlive(state);
  });

  it('an event typed "*" (the XState wildcard, which its macrostep throws on) is rejected and the actor stays active', async () => {
    const state = seeded();
    state.actor.send({ type: '*' } as never);
    expect(state.actor.getSnapshot().status).toBe('active');
    expect(state.getMetrics().rejectedCount).toBe(1);
    await expectAlive(state);
  });

  it('write options with a throwing getter reject the write instead of throwing', () => {
    const state = seeded();
    const options = {
      get changedBy(): string {
        throw new Error('hostile options');
      },
    } as WriteOptions;
    const pending = callWrite(() => state.set('a', 2, options));
    pending.catch(() => undefined);
  });

  it('after a write whose options getter threw, later writes still settle', async () => {
    const state = seeded();
    const options = {
      get changedBy(): string {
        throw new Error('hostile options');
      },
    } as WriteOptions;
    try {
      void state.set('a', 2, options).catch(() => undefined);
    } catch {
      // The synchronous throw is the bug above; this test is about what follows.
    }
    let settled = false;
    void state.set('b', 3).then(
      () => (settled = true),
      () => (settled = true),
    );
    // The actor applies the write (waitFor sees it), and the facade settles its
    // promise before it notifies waiters: by now `settled` must be true.
    await state.waitFor((snapshot) => snapshot.b === 3);
    expect(settled).toBe(true);
  });

  it('modify() with null (or non-object) options does not throw synchronously', async () => {
    const state = seeded();
    const pending = callWrite(() => state.modify('a', () => 2, null as unknown as WriteOptions));
    await pending.catch(() => undefined);
  });

  it('a command without replyTo is answered on the snapshot that follows it, as context.lastReply', () => {
    const state = seeded();
    state.actor.send({ type: 'state.get', key: 'a', requestId: 'q1' });
    expect(state.actor.getSnapshot().context.lastReply).toEqual({ type: 'state.reply', requestId: 'q1', ok: true, result: 1 });
  });

  it('control: the same bad inputs in a well-behaved form are rejected cleanly', async () => {
    const state = seeded();
    state.actor.send({ type: 'state.set', key: 5, value: 1 } as never);
    await expect(state.update(new Proxy({}, {}) as Record<string, unknown>)).resolves.toBe(0);
    await expect(state.update(Object.create(Map.prototype) as Record<string, unknown>)).rejects.toBeInstanceOf(StateValidationError);
    expect(state.getMetrics().rejectedCount).toBe(2);
    await expectAlive(state);
  });
});

describe('the facade’s own writes', () => {
  it('cannot be copied into a command that skips validation: a copy with a bad key is parsed and refused', async () => {
    let sent: Record<PropertyKey, unknown> | undefined;
    const state = createThreadSafeState<StateShape>({
      inspect: (event) => {
        if (event.type === '@xstate.event' && event.event.type === 'state.set') sent ??= event.event as unknown as Record<PropertyKey, unknown>;
      },
    });
    await state.set('a', 1);
    expect(sent).toBeDefined();
    const rejectedBefore = state.getMetrics().rejectedCount;
    // Every own property, symbols included, with the key and author swapped for bad ones.
    const forged = Object.defineProperties({}, Object.getOwnPropertyDescriptors(sent));
    state.actor.send({ ...forged, key: 42, changedBy: {}, requestId: 'forged' } as never);
    expect(state.getMetrics().rejectedCount).toBe(rejectedBefore + 1);
    expect(state.keys()).toEqual(['a']);
    expect(state.getVersion()).toBe(1);
    // The very command sent again is parsed like any agent's: valid, so applied as a new version.
    state.actor.send(sent as never);
    expect(state.getVersion()).toBe(2);
  });

  it('cannot be made anew from one the facade sent: not through its constructor, nor by a subclass', async () => {
    let sent: { constructor: new (...args: unknown[]) => object } | undefined;
    const state = createThreadSafeState<StateShape>({
      inspect: (event) => {
        if (event.type === '@xstate.event' && event.event.type === 'state.set') sent ??= event.event as never;
      },
    });
    await state.set('a', 1);
    const Made = sent?.constructor as new (...args: unknown[]) => object;
    expect(() => new Made('', 1, Number.NaN, 'forged')).toThrow(TypeError);
    expect(() => new (class extends Made {})('', 1, 0, 'forged')).toThrow(TypeError);
    expect(Object.isFrozen(Made) && Object.isFrozen(Made.prototype)).toBe(true);
    expect(state.keys()).toEqual(['a']);
  });

  it('an inspector that throws on a write: it is detached, that write and the writes after it apply', async () => {
    let throwOnce = true;
    const report = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const state = createThreadSafeState<StateShape>({
      inspect: (event) => {
        if (throwOnce && event.type === '@xstate.event' && event.event.type === 'state.set') {
          throwOnce = false;
          throw new Error('inspector bug');
        }
      },
    });
    await expect(state.set('a', 1)).resolves.toBe(1);
    await expect(state.set('b', 2)).resolves.toBe(2);
    expect(state.get('b')).toBe(2);
    expect(report).toHaveBeenCalledOnce();
    report.mockRestore();
  });

  it('check a set’s options as the actor checks them: bad ones refused naming the field, good ones recorded without a second parse', async () => {
    const sent: object[] = [];
    const state = createThreadSafeState<StateShape>({
      inspect: (event) => {
        if (event.type === '@xstate.event' && event.event.type === 'state.set') sent.push(event.event);
      },
    });
    for (const [options, field] of [
      [{ changedBy: 5 }, 'changedBy'],
      [{ expectedVersion: -1 }, 'expectedVersion'],
      [{ expectedVersion: 1.5 }, 'expectedVersion'],
    ] as const) {
      const error = await state.set('a', 1, options as unknown as WriteOptions).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StateValidationError);
      expect((error as StateValidationError).issues.map(({ path }) => path.join('.'))).toContain(field);
    }
    const throwing = Object.defineProperty({}, 'changedBy', {
      enumerable: true,
      get() {
        throw new Error('unreadable option');
      },
    });
    await expect(state.set('a', 1, throwing)).rejects.toThrow('unreadable option');
    expect(state.getVersion()).toBe(0);

    await expect(state.set('a', 1, { changedBy: 'agent-7', expectedVersion: 0 })).resolves.toBe(1);
    await expect(state.set('a', 2, { expectedVersion: 0 })).rejects.toMatchObject({ name: 'StateConflictError' });
    expect(state.get('a')).toBe(1);
    expect(state.getHistory()).toMatchObject([{ key: 'a', newValue: 1, changedBy: 'agent-7' }]);
    // The accepted one and the conflicting one went as checked commands; the refused ones as plain commands for the actor to parse.
    expect(sent.map((event) => event.constructor.name)).toEqual(['Object', 'Object', 'Object', 'CheckedSet', 'CheckedSet']);
  });

  it('a clock that throws rejects the write instead of throwing from set()', async () => {
    const state = createThreadSafeState<StateShape>({
      clock: () => {
        throw new Error('no time');
      },
    });
    const write = state.set('a', 1);
    await expect(write).rejects.toThrow('no time');
    expect(state.getVersion()).toBe(0);
  });
});

describe('a replyTo whose own system throws on the reply', () => {
  it('does not stop the state actor: the error is reported apart, the write stands', () => {
    swallowingReportedErrors(() => {
      const state = seeded();
      const inbox = createActor(setup({}).createMachine({}), {
        inspect: (event) => {
          if (event.type === '@xstate.event' && event.event.type === 'state.reply') throw new Error('inspector bug');
        },
      }).start();
      state.actor.send({ type: 'state.set', key: 'b', value: 2, replyTo: inbox } as never);
      expect(state.actor.getSnapshot().status).toBe('active');
      expect(state.get('b')).toBe(2);
      state.actor.send({ type: 'state.set', key: 'c', value: 3 });
      expect(state.get('c')).toBe(3);
    });
  });
});
