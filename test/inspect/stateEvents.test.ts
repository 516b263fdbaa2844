/** What the recording says of a shared state's traffic: each command's fields and outcome, the state's options, who sent each write, which command made each version. */
import { afterEach, describe, expect, it } from 'vitest';
import { createThreadSafeState, fromAgent, runPipeline, StateConflictError, type WorkflowStateShape } from 'concord-state';
import { createLocalInspector, type LocalInspector } from 'concord-state/inspect';
import { eventOfVersion, modelFromRecording } from '../../src/inspect/page/model.js';

let local: LocalInspector | undefined;
afterEach(async () => {
  await local?.close();
  local = undefined;
});

const commandsTo = (model: ReturnType<typeof modelFromRecording>, stateId: string) =>
  model.events.filter((event) => event.targetId === stateId && event.type.startsWith('state.'));

describe('a shared state in the recording', () => {
  it('shows every command with its type, key and value, and the reply to it: applied with its version, or refused with the error', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    await state.set('counter', 1, { changedBy: 'agent-1' });
    await expect(state.set('counter', 2, { expectedVersion: 0, changedBy: 'agent-2' })).rejects.toThrow(StateConflictError);
    await state.update({ name: 'x' });
    expect(await state.delete('absent')).toBe(false);

    const model = modelFromRecording(local.recording());
    const [applied, refused, update, noChange] = commandsTo(model, state.actor.sessionId);
    expect(applied?.event).toMatchObject({ type: 'state.set', key: 'counter', value: 1, changedBy: 'agent-1' });
    expect(refused?.event).toMatchObject({ type: 'state.set', key: 'counter', value: 2, changedBy: 'agent-2', expectedVersion: 0 });
    expect(update?.event).toMatchObject({ type: 'state.update', values: { name: 'x' } });
    expect(noChange?.event).toMatchObject({ type: 'state.delete', key: 'absent' });

    const replyTo = (seq: number | undefined) => model.replyByEvent.get(seq ?? -1);
    expect(replyTo(applied?.seq)).toMatchObject({ ok: true, result: 1, version: 1 });
    expect(replyTo(refused?.seq)).toMatchObject({
      ok: false,
      version: null,
      error: {
        name: 'StateConflictError',
        message: expect.stringContaining('Expected version 0 but the state is at version 1'),
        expectedVersion: 0,
        actualVersion: 1,
      },
    });
    expect(replyTo(update?.seq)).toMatchObject({ ok: true, version: 2 });
    expect(replyTo(noChange?.seq)).toMatchObject({ ok: true, result: false, version: null });
    expect(model.replies).toHaveLength(4);
  });

  it('shows the state’s options in its xstate.init, not the guard and clock made of them', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({
      inspect: local.inspector,
      maxHistorySize: 50,
      snapshotCacheSize: 4,
      initialState: { a: 1, b: 2 },
    });
    const init = modelFromRecording(local.recording()).events.find((event) => event.targetId === state.actor.sessionId && event.type === 'xstate.init');
    expect(init?.event).toEqual({ type: 'xstate.init', input: { maxHistorySize: 50, snapshotCacheSize: 4, enableSnapshots: true, initialKeys: 2 } });
  });

  it('ties each version to the command that made it', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
    for (const key of ['a', 'b', 'c']) await state.set(key, key.toUpperCase());
    await state.rollback(1);

    const model = modelFromRecording(local.recording());
    const commands = commandsTo(model, state.actor.sessionId);
    expect([1, 2, 3, 4].map((version) => eventOfVersion(model, state.actor.sessionId, version))).toEqual(commands.map((command) => command.seq));
    expect(eventOfVersion(model, state.actor.sessionId, 0)).toBeNull();
  });

  it('shows the workflow’s bookkeeping writes sent by the actors that make them, never from outside', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ inspect: local.inspector });
    const writer = fromAgent(async ({ state: remote, agentId }) => void (await remote.set(agentId, true)));
    const pipeline = {
      stages: [
        { id: 'parse', agent: 'writer' },
        { id: 'models', agent: 'writer', dependsOn: ['parse'] },
      ],
    };
    const items = ['User', 'Order'].map((id) => ({ id, data: null }));
    expect(await runPipeline({ pipeline, items, state, agents: { writer }, inspect: local.inspector }).done).toEqual({ status: 'completed' });

    const model = modelFromRecording(local.recording());
    const commands = commandsTo(model, state.actor.sessionId);
    expect(commands.filter((command) => command.sourceId === null)).toEqual([]);
    const sender = (command: (typeof commands)[number]) => model.actors.get(command.sourceId ?? '');
    const byKey = (key: string) => commands.filter((command) => (command.event as { key?: unknown }).key === key);
    const agents = ['parse', 'models'].flatMap((stage) => items.map((item) => `${stage}:${item.id}`));
    expect(
      byKey('completedAgents')
        .map((command) => sender(command)?.systemId)
        .sort(),
    ).toEqual(agents.map((agent) => `record:${agent}`).sort());
    // Each stage's step, by the recordStep actor the stage invoked: `workflow:parse` by the child of `stage:parse`.
    const steps = byKey('completedSteps').map((command) => ({
      changedBy: (command.event as { changedBy?: unknown }).changedBy,
      sender: sender(command)?.id,
      stage: model.actors.get(sender(command)?.parentId ?? '')?.systemId,
    }));
    expect(steps).toEqual(['parse', 'models'].map((stage) => ({ changedBy: `workflow:${stage}`, sender: 'recordStep', stage: `stage:${stage}` })));
  });

  it('shows a failed wave’s rollback sent by the pipeline’s rollback actor, as workflow:<stage>', async () => {
    local = await createLocalInspector();
    const state = createThreadSafeState<WorkflowStateShape & Record<string, unknown>>({ inspect: local.inspector });
    const failing = fromAgent(async ({ state: remote, agentId }) => {
      await remote.set(agentId, true);
      throw new Error('fails every time');
    });
    const items = [{ id: 'User', data: null }];
    const { done } = runPipeline({ pipeline: { stages: [{ id: 'parse', agent: 'failing' }] }, items, state, agents: { failing }, inspect: local.inspector });
    expect((await done).status).toBe('failed');

    const model = modelFromRecording(local.recording());
    const rollbacks = commandsTo(model, state.actor.sessionId).filter((command) => (command.event as { type?: unknown }).type === 'state.rollback');
    expect(rollbacks.length).toBeGreaterThan(0);
    expect(
      rollbacks.map((command) => ({
        sender: model.actors.get(command.sourceId ?? '')?.systemId,
        changedBy: (command.event as { changedBy?: unknown }).changedBy,
      })),
    ).toEqual(rollbacks.map(() => ({ sender: 'rollback', changedBy: 'workflow:parse' })));
  });
});
