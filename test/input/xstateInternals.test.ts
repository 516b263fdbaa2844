/**
 * The two XState internals Concord relies on (src/xstateInternals.ts). If an
 * XState upgrade changes either, these fail and say which.
 */
import { describe, expect, it } from 'vitest';
import { Actor, createActor, createMachine, fromCallback, sendTo, type AnyActorRef, type EventObject } from 'xstate';
import { createThreadSafeState } from 'concord-state';

describe('XState internals Concord relies on', () => {
  it('every event reaches an actor through Actor.prototype._send, from send and from sendTo alike', () => {
    const seen: unknown[] = [];
    class Recording extends Actor<ReturnType<typeof fromCallback<EventObject>>> {
      _send(event: unknown): void {
        seen.push(event);
      }
    }
    const target = new Recording(fromCallback<EventObject>(() => undefined)).start();
    target.send({ type: 'by-send' });
    const sender = createActor(createMachine({ entry: sendTo(() => target as AnyActorRef, { type: 'by-sendTo' }) }));
    sender.start();
    expect(seen, 'XState no longer delivers events through Actor.prototype._send: see src/xstateInternals.ts').toEqual([
      { type: 'by-send' },
      { type: 'by-sendTo' },
    ]);
  });

  it("system._relay exists and delivers an event as the source's: an inspector sees the sender", () => {
    const events: { sourceRef?: unknown; event: unknown }[] = [];
    const target = createActor(
      fromCallback<EventObject>(() => undefined),
      {
        inspect: (event) => void (event.type === '@xstate.event' && events.push(event)),
      },
    ).start();
    const source = createActor(fromCallback(() => undefined)).start();
    const system = target.system as { _relay?: (source: AnyActorRef, target: AnyActorRef, event: EventObject) => void };
    expect(typeof system._relay, 'XState no longer has system._relay: see src/xstateInternals.ts').toBe('function');
    system._relay?.(source, target, { type: 'relayed' });
    expect(events.at(-1)).toMatchObject({ sourceRef: source, event: { type: 'relayed' } });
  });

  it('so the state actor refuses what would jam or stop its mailbox, from send and from sendTo', async () => {
    const state = createThreadSafeState<Record<string, number>>();
    (state.actor.send as (event: unknown) => void)(null);
    const stopper = createActor(createMachine({ entry: sendTo(() => state.actor as AnyActorRef, { type: 'xstate.stop' }) }));
    stopper.start();
    expect(state.actor.getSnapshot().status).toBe('active');
    expect(state.getMetrics().rejectedCount).toBe(2);
    await expect(state.set('a', 1)).resolves.toBe(1);
    state.stop();
  });
});
