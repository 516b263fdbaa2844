import { describe, expect, it } from 'vitest';
import { createThreadSafeState } from 'concord-state';

interface Config {
  retries: number;
  tags: string[];
  nested: { depth: { value: number } };
}

const config = (): Config => ({ retries: 3, tags: ['a'], nested: { depth: { value: 1 } } });

describe('data isolation (reference: TestThreadSafeStateDataIsolation)', () => {
  it('mutating the value returned by get does not change the state', async () => {
    const state = createThreadSafeState<{ config: Config }>();
    await state.set('config', config());

    const copy = state.get('config');
    expect(copy).toBeDefined();
    copy!.retries = 99;
    copy!.tags.push('b');
    copy!.nested.depth.value = 42;

    expect(state.get('config')).toEqual(config());
  });

  it('mutating an object after passing it to set or update does not change the state', async () => {
    const state = createThreadSafeState<{ viaSet: Config; viaUpdate: Config }>();
    const forSet = config();
    const forUpdate = config();
    await state.set('viaSet', forSet);
    await state.update({ viaUpdate: forUpdate });

    forSet.nested.depth.value = 7;
    forSet.tags.length = 0;
    forUpdate.retries = -1;

    expect(state.get('viaSet')).toEqual(config());
    expect(state.get('viaUpdate')).toEqual(config());
  });

  it('mutating the initialState object after creation does not change the state', () => {
    const initial = { config: config() };
    const state = createThreadSafeState<{ config: Config }>({ initialState: initial });

    initial.config.tags.push('late');
    initial.config.nested.depth.value = 1000;

    expect(state.get('config')).toEqual(config());
  });

  it('history records do not share mutable objects with the caller', async () => {
    const state = createThreadSafeState<{ config: Config }>();
    const input = config();
    await state.set('config', input);
    input.retries = 0;

    const [record] = state.getHistory();
    expect(record?.newValue).toEqual(config());
  });
});
