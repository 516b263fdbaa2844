/**
 * Issue 13, finding 3: a value whose levels each hold two references to the
 * same next level is 30 objects, and 2**30 paths. The inspector's readable
 * copy walks each object once and shows a repeat as a reference to where it
 * is shown: counted here by the reads of each level's getters, which throw
 * once past a budget, so a walk of every path ends at once instead of running for hours.
 */
import { describe, expect, it } from 'vitest';
import { createThreadSafeState } from 'concord-state';
import { createLocalInspector, toReadable, type Json } from 'concord-state/inspect';

const DEPTH = 30;

/** Levels 0..DEPTH, each `{ left, right }` both the next level; every read of them counted, and refused past `budget`. */
function diamonds(budget: number): { root: object; reads: () => number } {
  let reads = 0;
  const read = (next: object) => () => {
    if (++reads > budget) throw new Error(`read more than ${budget} times`);
    return next;
  };
  let level: object = { end: true };
  for (let i = 0; i < DEPTH; i++) {
    const next = level;
    level = Object.defineProperties({}, { left: { enumerable: true, get: read(next) }, right: { enumerable: true, get: read(next) } });
  }
  return { root: level, reads: () => reads };
}

/** Nodes of a readable value, as JSON would write them. */
const nodes = (value: Json): number =>
  value === null || typeof value !== 'object'
    ? 1
    : 1 + (Array.isArray(value) ? value : Object.values(value)).reduce((sum: number, item) => sum + nodes(item), 0);

describe('the readable copy of a value that shares its parts', () => {
  it('reads each object once, and writes each repeat as a reference to where it is', () => {
    const budget = 4 * DEPTH;
    const { root, reads } = diamonds(budget);
    const readable = toReadable(root);
    expect(JSON.stringify(readable)).not.toContain('unreadable');
    expect(reads()).toBe(2 * DEPTH);
    let at = readable as { left: Json; right: Json };
    for (let i = 0; i < DEPTH; i++) {
      expect(at.right).toEqual({ $type: 'ref', path: [...Array<string>(i).fill('left'), 'left'] });
      at = at.left as { left: Json; right: Json };
    }
    expect(at).toEqual({ end: true });
  });

  it('stays linear in the objects for a stored value, through a local inspector following the state', async () => {
    // 16 levels: 2**17 nodes written as a tree, few enough that a walk of every path fails this test instead of hanging it.
    const depth = 16;
    let level: object = { end: true };
    for (let i = 0; i < depth; i++) level = { left: level, right: level };
    const local = await createLocalInspector();
    try {
      const state = createThreadSafeState<Record<string, unknown>>({ inspect: local.inspector });
      await state.set('diamonds', level);
      const entry = local.recording().entries.find((candidate) => candidate.kind === 'version' && candidate.version === 1);
      const recorded = (entry as { changed: Record<string, Json> } | undefined)?.changed.diamonds;
      expect(recorded).toBeDefined();
      // Each level: itself, its two keys' values, and the steps of the reference.
      expect(nodes(recorded as Json)).toBeLessThan(depth * (depth + 4));
      state.stop();
    } finally {
      await local.close();
    }
  });

  it('keeps cycles as cycles, and does not refer to what a getter that threw took back', () => {
    const shared = { n: 1 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    expect(toReadable(loop)).toEqual({ shared: { n: 1 }, again: { $type: 'ref', path: ['shared'] }, self: { $type: 'circular' } });
    const inner = { n: 2 };
    const broken = Object.defineProperties(
      {},
      {
        inner: { enumerable: true, value: inner },
        bad: {
          enumerable: true,
          get: () => {
            throw new Error('no');
          },
        },
      },
    );
    expect(toReadable({ broken, inner, again: broken })).toEqual({
      broken: { $type: 'unreadable', reason: 'no' },
      inner: { n: 2 },
      again: { $type: 'unreadable', reason: 'no' },
    });
  });
});
