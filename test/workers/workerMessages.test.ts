/**
 * The port's messages are checked in plain code on the hot path, not by zod:
 * the readers must accept what the schemas accept (but arrays with holes,
 * which they refuse before anything walks them), and a worker
 * that posts anything else fails its agent with WorkerAgentError.
 */
import { describe, expect, it } from 'vitest';
import { createActor, toPromise } from 'xstate';
import { createThreadSafeState } from 'concord-state';
import { fromWorkerAgent, FromWorkerSchema, ToWorkerSchema, WorkerAgentError } from 'concord-state/workers';
import { fromRows, toRows } from '../../src/workers/commandRows.ts';
import { readFromWorker, readToWorker } from '../../src/workers/workerMessages.ts';

const sparse = (length: number, items: Record<number, unknown> = {}) => Object.assign(new Array<unknown>(length), items);
const set = { type: 'state.set', key: 'a', value: 1, requestId: 'w#1:0' };

const fromWorker: unknown[] = [
  { kind: 'commands', commands: [set, set], watching: false },
  { kind: 'commands', commands: [], watching: true },
  // The commands themselves are the state actor's to validate: anything goes in the envelope.
  { kind: 'commands', commands: [null, 3, 'x'], watching: false },
  { kind: 'commands', commands: [set], watching: 'yes' },
  { kind: 'commands', commands: [set] },
  { kind: 'commands', commands: [set], watching: false, extra: 1 },
  { kind: 'commands', commands: { 0: set, length: 1 }, watching: false },
  { kind: 'command', command: set },
  { kind: 'rows', ...toRows([set, { type: 'state.get', key: 'a' }, set]), watching: false },
  { kind: 'rows', shapes: [], rows: [], watching: true },
  { kind: 'rows', shapes: [['type', 'key']], rows: [0, 'state.get'], watching: false },
  { kind: 'rows', shapes: [['type', 'key']], rows: [1, 'state.get', 'a'], watching: false },
  { kind: 'rows', shapes: [['type', 'key']], rows: ['0', 'state.get', 'a'], watching: false },
  { kind: 'rows', shapes: [['type', 1]], rows: [0, 'state.get', 'a'], watching: false },
  { kind: 'rows', shapes: [['type', 'key']], rows: [0, 'state.get', 'a'] },
  { kind: 'rows', shapes: [['type', 'key']], rows: [0, 'state.get', 'a'], watching: false, commands: [] },
  { kind: 'done', output: { any: 'thing' } },
  { kind: 'done' },
  { kind: 'failed', error: { name: 'RangeError', message: 'no' } },
  { kind: 'failed', error: { name: 'RangeError' } },
  null,
  'commands',
];

// A reply as ReplyRows lay it out: request id, ok, result.
const reply = ['w#1:0', true, 1];
const toWorker: unknown[] = [
  { kind: 'batch', replies: reply, changed: [1, 2] },
  { kind: 'batch', replies: [], changed: [] },
  { kind: 'batch', replies: reply.slice(1), changed: [] },
  { kind: 'batch', replies: reply },
  { kind: 'batch', replies: reply, changed: [], extra: true },
  { kind: 'reply', reply },
  undefined,
];

describe('the port messages, read without zod', () => {
  it('refuse an array with holes, which zod would walk to its claimed length', () => {
    for (const commands of [sparse(2 ** 32 - 1, { 0: set }), sparse(3, { 0: set, 2: set })]) {
      expect(readFromWorker({ kind: 'commands', commands, watching: false })).toBeNull();
      expect(readFromWorker({ kind: 'rows', shapes: [['type']], rows: commands, watching: false })).toBeNull();
      expect(readFromWorker({ kind: 'rows', shapes: commands, rows: [], watching: false })).toBeNull();
      expect(readToWorker({ kind: 'batch', replies: [], changed: commands })).toBeNull();
    }
  });

  it('readFromWorker accepts what FromWorkerSchema accepts, and nothing else', () => {
    for (const message of fromWorker) expect([message, readFromWorker(message) !== null]).toEqual([message, FromWorkerSchema.safeParse(message).success]);
  });

  it('read a rows message as the commands it lays out, in order, each key an own one', () => {
    const hostile = JSON.parse('{"type": "state.set", "__proto__": {"polluted": true}, "key": "a"}') as object;
    const commands = [set, { type: 'state.get', key: 'a' }, hostile, set];
    expect(readFromWorker({ kind: 'rows', ...toRows(commands), watching: true })).toStrictEqual({ kind: 'commands', commands, watching: true });
    const [, , read] = fromRows(toRows(commands).shapes, toRows(commands).rows) ?? [];
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype);
    expect(Object.hasOwn(read as object, '__proto__')).toBe(true);
  });

  it('readToWorker accepts the envelopes ToWorkerSchema accepts, and nothing else', () => {
    for (const message of toWorker) expect([message, readToWorker(message) !== null]).toEqual([message, ToWorkerSchema.safeParse(message).success]);
  });
});

const rawMessage = fromWorkerAgent<never, { agentId: string; state: never; message: unknown }>(new URL('./fixtures/rawMessage.worker.ts', import.meta.url));

describe('a worker posting outside the protocol', () => {
  it('fails its agent with WorkerAgentError, and nothing it sent reaches the state', { timeout: 60_000 }, async () => {
    const state = createThreadSafeState<Record<string, number>>();
    const messages = [
      { kind: 'commands', commands: [set], watching: 'yes' },
      { kind: 'commands', commands: [set], watching: false, extra: 1 },
      { kind: 'commands', commands: sparse(2 ** 32 - 1, { 0: set }), watching: false },
      { kind: 'command', command: set },
      // A whole message is read before any of it is applied: the set in its first row does not reach the state.
      { kind: 'rows', shapes: [Object.keys(set)], rows: [0, ...Object.values(set), 1], watching: false },
    ];
    const failures = await Promise.all(
      messages.map((message, i) =>
        toPromise(createActor(rawMessage, { input: { agentId: `raw-${i}`, state: state.actor as never, message } }).start()).then(
          () => 'resolved',
          (error: unknown) => error,
        ),
      ),
    );
    for (const failure of failures) expect(failure instanceof WorkerAgentError).toBe(true);
    expect(state.getVersion()).toBe(0);
    state.stop();
  });
});
