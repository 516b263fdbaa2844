import { afterEach, describe, expect, it } from 'vitest';
import { connectInProcess, createThreadSafeState, StateValidationError, type StateShape, type ThreadSafeState, type WriteOptions } from 'concord-state';
import { thrownBy } from '../support/outcomes.ts';
import { callWrite, expectAlive, expectUnchanged, observe, rejectionOf } from './helpers.ts';

/*
 * A call's options from plain JavaScript, misspelled: each is refused with a
 * StateValidationError naming the field and the fields accepted, instead of
 * the field being dropped and the call going ahead without it.
 */

const WRITE_FIELDS = 'changedBy, expectedVersion';
const MODIFY_FIELDS = 'changedBy, expectedVersion, default';

/** What a write looks like to the suite, from the facade or from an agent's client. */
interface Writer {
  set(key: string, value: unknown, options: WriteOptions): Promise<unknown>;
  update(values: Record<string, unknown>, options: WriteOptions): Promise<unknown>;
  delete(key: string, options: WriteOptions): Promise<unknown>;
  clear(options: WriteOptions): Promise<unknown>;
  modify(key: string, recipe: (draft: unknown) => unknown, options: WriteOptions): Promise<unknown>;
  rollback(version: number, options: WriteOptions): Promise<unknown>;
}

type Write = [name: string, write: (writer: Writer, options: WriteOptions) => Promise<unknown>, accepted: string];

const writes: readonly Write[] = [
  ['set', (writer, options) => writer.set('a', 'new', options), WRITE_FIELDS],
  ['update', (writer, options) => writer.update({ a: 'u', c: 3 }, options), WRITE_FIELDS],
  ['delete', (writer, options) => writer.delete('a', options), WRITE_FIELDS],
  ['clear', (writer, options) => writer.clear(options), WRITE_FIELDS],
  ['modify', (writer, options) => writer.modify('b', (n) => (n as number) + 1, options), MODIFY_FIELDS],
  ['rollback', (writer, options) => writer.rollback(1, options), WRITE_FIELDS],
];

/** Options as plain JavaScript may pass them: fields TypeScript would refuse. */
const untyped = (options: Record<string, unknown>) => options as WriteOptions;

const disposals: (() => void)[] = [];
afterEach(() => disposals.splice(0).forEach((dispose) => dispose()));

/** The facade, and an agent's client of the same state: the same suite runs against each. */
const writers: ReadonlyArray<[name: string, writerOf: (state: ThreadSafeState) => Writer]> = [
  ['the facade', (state) => state],
  ['an agent’s client', (state) => connect(state)],
];

function connect(state: ThreadSafeState) {
  const connected = connectInProcess(state.actor, { agentId: 'agent' });
  disposals.push(() => connected.dispose());
  return connected.client;
}

/** A state at version 2 with history: v1 set b=1, v2 set b=2 (a from initialState). */
async function atVersion2(): Promise<ThreadSafeState> {
  const state = createThreadSafeState<StateShape>({ initialState: { a: 'old' } });
  await state.set('b', 1);
  await state.set('b', 2);
  return state;
}

function expectUnknownOption(error: unknown, field: string, accepted: string): void {
  expect(error).toBeInstanceOf(StateValidationError);
  const { issues, message } = error as StateValidationError;
  expect(issues.map(({ path }) => path.join('.'))).toContain(field);
  expect(message).toContain(`unknown option "${field}"; accepted: ${accepted}`);
}

describe.each(writers)('write options with an unknown field, through %s', (_via, writerOf) => {
  it.each(writes)('%s refuses { changeBy } and changes nothing', async (_name, write, accepted) => {
    const state = await atVersion2();
    const writer = writerOf(state);
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => write(writer, untyped({ changeBy: 'agent-1' }))));
    expectUnknownOption(error, 'changeBy', accepted);
    expectUnchanged(state, before);
    expect(state.get('a')).toBe('old');
    await expectAlive(state);
  });

  it.each(writes)('%s refuses an unknown field next to valid ones, and names each unknown one', async (_name, write, accepted) => {
    const state = await atVersion2();
    const before = observe(state);
    const error = await rejectionOf(callWrite(() => write(writerOf(state), untyped({ changedBy: 'agent-1', expectedVersion: 2, expectVersion: 2, by: 'x' }))));
    expectUnknownOption(error, 'expectVersion', accepted);
    expectUnknownOption(error, 'by', accepted);
    expect((error as StateValidationError).issues).toHaveLength(2);
    expectUnchanged(state, before);
  });

  it.each(writes)('%s with the same options spelled right applies, recorded as changedBy', async (_name, write) => {
    const state = await atVersion2();
    const writer = writerOf(state);
    await rejectionOf(write(writer, untyped({ changeBy: 'agent-1' })));
    await write(writer, { changedBy: 'agent-1', expectedVersion: 2 });
    expect(state.getVersion()).toBe(3);
    expect(state.getHistory()[0]?.changedBy).toBe('agent-1');
  });

  it('modify refuses { defualt } without running the recipe', async () => {
    const state = await atVersion2();
    const before = observe(state);
    let runs = 0;
    const recipe = (n: unknown) => (runs++, (n as number | undefined) ?? 0);
    const error = await rejectionOf(callWrite(() => writerOf(state).modify('fresh', recipe, untyped({ defualt: 0 }))));
    expectUnknownOption(error, 'defualt', MODIFY_FIELDS);
    expect(runs).toBe(0);
    expectUnchanged(state, before);
    expect(state.has('fresh')).toBe(false);
  });

  it('an inherited enumerable field counts as given, as zod’s strictObject reads an object', async () => {
    const state = await atVersion2();
    const before = observe(state);
    const options = Object.create({ changeBy: 'agent-1' }) as WriteOptions;
    expectUnknownOption(await rejectionOf(callWrite(() => writerOf(state).set('a', 'new', options))), 'changeBy', WRITE_FIELDS);
    expectUnchanged(state, before);
  });
});

describe('getHistory with an unknown query field', () => {
  it('throws (it is synchronous) naming the field and the fields accepted, and reads nothing', async () => {
    const state = await atVersion2();
    const before = observe(state);
    const error = thrownBy(() => state.getHistory({ limt: 1 } as never));
    expectUnknownOption(error, 'limt', 'key, limit');
    expectUnchanged(state, before);
    expect(state.getHistory({ limit: 1 })).toHaveLength(1);
  });

  it('an agent’s history() rejects the same way', async () => {
    const state = await atVersion2();
    const client = connect(state);
    expectUnknownOption(await rejectionOf(client.history({ limt: 1 } as never)), 'limt', 'key, limit');
    await expect(client.history({ limit: 1 })).resolves.toHaveLength(1);
  });
});

describe('waitFor with an unknown option', () => {
  it('rejects naming the field and the fields accepted, without waiting and without calling the predicate', async () => {
    const state = await atVersion2();
    let calls = 0;
    const waiting = state.waitFor(() => (calls++, true), { timout: 10 } as never);
    expectUnknownOption(await rejectionOf(waiting), 'timout', 'timeout, signal');
    expect(calls).toBe(0);
    await expect(state.waitFor((snapshot) => snapshot.b === 2, { timeout: 1_000 })).resolves.toMatchObject({ b: 2 });
  });

  it('an agent’s waitFor rejects the same way; it takes a timeout and no signal', async () => {
    const state = await atVersion2();
    const client = connect(state);
    expectUnknownOption(await rejectionOf(client.waitFor(() => true, { timout: 10 } as never)), 'timout', 'timeout');
    expectUnknownOption(await rejectionOf(client.waitFor(() => true, { signal: new AbortController().signal } as never)), 'signal', 'timeout');
    await expect(client.waitFor((snapshot) => snapshot.b === 2, { timeout: 1_000 })).resolves.toMatchObject({ b: 2 });
  });
});
