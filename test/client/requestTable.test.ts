/** The request table the facade and agents' clients share. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StateConflictError, StateTimeoutError } from 'concord-state';
import { RequestTable } from '../../src/client/requestTable.ts';

const ok = (requestId: string, result: unknown) => ({ type: 'state.reply' as const, requestId, ok: true as const, result });

afterEach(() => {
  vi.useRealTimers();
});

describe('the request table', () => {
  it('settles each request by its id, in whatever order the replies come', async () => {
    const table = new RequestTable('agent');
    const [first, firstReply] = table.open<string>();
    const [second, secondReply] = table.open<string>();
    expect(table.settle(ok(second, 'b'))).toBe(true);
    expect(table.settle(ok(first, 'a'))).toBe(true);
    await expect(Promise.all([firstReply, secondReply])).resolves.toEqual(['a', 'b']);
    expect(table.size).toBe(0);
  });

  it('ignores a reply to an id it never gave, and ids of another table, which it cannot guess', () => {
    const table = new RequestTable('agent');
    const other = new RequestTable('agent');
    const [requestId] = table.open();
    const [othersId] = other.open();
    expect(requestId.startsWith('agent#')).toBe(true);
    expect(othersId.slice(0, othersId.lastIndexOf(':'))).not.toBe(requestId.slice(0, requestId.lastIndexOf(':')));
    expect(table.settle(ok(othersId, 'forged'))).toBe(false);
    expect(table.settle({ type: 'state.reply', requestId: null, ok: true, result: 'forged' })).toBe(false);
    expect(table.size).toBe(1);
  });

  it('rebuilds a typed error from an error reply, and waits for the log before it resolves', async () => {
    const table = new RequestTable('agent');
    const [refused, refusal] = table.open();
    table.settle({ type: 'state.reply', requestId: refused, ok: false, error: new StateConflictError(1, 2).toPayload() });
    await expect(refusal).rejects.toBeInstanceOf(StateConflictError);
    const [logged, reply] = table.open();
    let release!: () => void;
    let settled = false;
    table.settle(ok(logged, 7), new Promise<void>((resolve) => (release = resolve)));
    void reply.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release();
    await expect(reply).resolves.toBe(7);
  });

  it('times every pending request out with one timer, oldest first, and leaves no timer once none is pending', async () => {
    vi.useFakeTimers();
    const table = new RequestTable('agent', 100);
    const [, early] = table.open('state.get');
    vi.advanceTimersByTime(60);
    const [, late] = table.open('state.set');
    const [answered] = table.open('state.version');
    expect(vi.getTimerCount()).toBe(1);
    const earlyError = early.catch((error: unknown) => error);
    vi.advanceTimersByTime(40);
    expect(await earlyError).toBeInstanceOf(StateTimeoutError);
    expect(((await earlyError) as Error).message).toMatch(/state\.get/);
    expect(table.size).toBe(2);
    table.settle(ok(answered, 1));
    const lateError = late.catch((error: unknown) => error);
    vi.advanceTimersByTime(60);
    expect(await lateError).toBeInstanceOf(StateTimeoutError);
    expect(table.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects every pending request at once when the client closes', async () => {
    const table = new RequestTable('agent', 1000);
    const replies = [table.open()[1], table.open()[1]];
    const reason = new Error('closed');
    table.rejectAll(reason);
    for (const reply of replies) await expect(reply).rejects.toBe(reason);
    expect(table.size).toBe(0);
  });

  it('keeps one timer for one request after another, which keeps no process alive while nothing waits', async () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const table = new RequestTable('agent', 5_000);
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    for (let i = 0; i < 100; i++) {
      const [requestId, reply] = table.open<number>();
      expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout')).toHaveLength(timersBefore + 1);
      table.settle(ok(requestId, i));
      await reply;
    }
    expect(setTimer).toHaveBeenCalledTimes(1);
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout')).toHaveLength(timersBefore);
    setTimer.mockRestore();
  });
});
