/**
 * Attacks on agents' handles found by a review, each run as a script first:
 * every test here failed before its fix.
 */
import { describe, expect, it } from 'vitest';
import { createActor, fromCallback, type AnyActorRef, type InspectionEvent } from 'xstate';
import { z } from 'zod';
import { createThreadSafeState, StateAccessError } from 'concord-state';

type Shape = Record<string, unknown>;

describe("attacks on agents' handles", () => {
  it("a replyTo with an inspector of its own never sees the state actor as the reply's sender", async () => {
    const state = createThreadSafeState<Shape>({ initialState: { secret: 's' } });
    const door = state.forAgent('mallory', { read: [], write: [] }).actor;
    const sources: unknown[] = [];
    const sink = createActor(
      fromCallback(() => undefined),
      {
        inspect: (event: InspectionEvent) => {
          if (event.type === '@xstate.event') sources.push(event.sourceRef);
        },
      },
    ).start();
    door.send({ type: 'state.version', requestId: 'x', replyTo: sink as AnyActorRef });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sources).not.toContain(state.actor);
    state.stop();
  });

  it('getWithFallback reads the fallbacks it checked, once', () => {
    const state = createThreadSafeState<Shape>({ initialState: { pub: 1, secret: 's' } });
    const agent = state.forAgent('mallory', { read: ['pub', 'missing'] });
    let reads = 0;
    const shifting = {
      *[Symbol.iterator]() {
        yield reads++ === 0 ? 'pub' : 'secret';
      },
    } as unknown as string[];
    expect(agent.getWithFallback('missing', shifting)).toBe(1);
    state.stop();
  });

  it('a compare-and-swap on a hidden key is refused as a read: its version is not told', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { pub: 1 } });
    await state.set('apiKey', 'sk');
    const agent = state.forAgent('mallory', { read: ['pub'], write: ['pub'] });
    await expect(agent.update({ pub: 2 }, { expectedKeyVersions: { apiKey: 0 } })).rejects.toMatchObject({ name: 'StateAccessError', operation: 'read' });
    await expect(agent.set('apiKey', 'x', { expectedKeyVersion: 0 })).rejects.toMatchObject({ name: 'StateAccessError' });
    expect(state.getVersion()).toBe(1);
    state.stop();
  });

  it('a refusal found by the state names no key the agent may not read, so hidden keys cannot be listed', async () => {
    const state = createThreadSafeState<Shape>({ initialState: { pub: 1, apiKey: 'sk', 'db/password': 'pw' } });
    const agent = state.forAgent('mallory', { read: ['pub'], write: ['pub'] });
    const refusal = await agent.recoverFromCorruptedState(['pub']).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(StateAccessError);
    expect(refusal).toMatchObject({ key: null });
    expect(String((refusal as Error).message)).not.toMatch(/apiKey|db\/password/);
    state.stop();
  });

  it("a set of a key the agent may not write is refused for its key, not described by the schema's check of its value", async () => {
    const state = createThreadSafeState({ schema: z.object({ pub: z.number(), secret: z.string().regex(/^sk-/) }) });
    const agent = state.forAgent('mallory', { read: ['pub'], write: ['pub'] });
    await expect(agent.set('secret', 'not a key')).rejects.toBeInstanceOf(StateAccessError);
    state.stop();
  });

  it('a key built against a pattern of several stars is matched in linear time: the state keeps answering', async () => {
    const state = createThreadSafeState<Shape>();
    const agent = state.forAgent('mallory', { read: ['src/*/*/*/*.ts'], write: ['src/*/*/*/*.ts'] });
    // With the pattern compiled to a backtracking regex, this one command held the mailbox for minutes.
    agent.actor.send({ type: 'state.set', key: `src/${'/'.repeat(5_000)}x`, value: 1 });
    await expect(state.set('owner', true)).resolves.toBe(1);
    state.stop();
  });
});

describe('the prototypes every handle and state share', () => {
  it('cannot be patched to capture other agents’ handles or other states', () => {
    const state = createThreadSafeState<Shape>();
    const mallory = state.forAgent('mallory', { read: [] });
    const handles = Object.getPrototypeOf(mallory) as Record<string, unknown>;
    const states = Object.getPrototypeOf(state) as Record<string, unknown>;
    expect(() => (handles.set = () => undefined)).toThrow(TypeError);
    expect(() => Object.defineProperty(handles, 'actor', { get: () => undefined })).toThrow(TypeError);
    expect(() => (states.set = () => undefined)).toThrow(TypeError);
    state.stop();
  });
});
