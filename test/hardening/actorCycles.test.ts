/**
 * Issue 13, finding 10: the inspector page lists actors as a tree by the
 * parents a recording names, and a loaded file or a remote app can name a
 * cycle. Those actors are listed all the same: under the earliest actor of
 * the cycle, a root marked `cycle`. The page's own modules, folded in Node.
 */
import { describe, expect, it } from 'vitest';
import { actorEntry } from './fixtures/actorEntry.ts';
import { actorTree } from '../../src/inspect/page/actorTree.js';
import { modelFromRecording } from '../../src/inspect/page/model.js';

const actor = actorEntry;

const listed = (entries: unknown[]) =>
  actorTree(modelFromRecording({ format: 'concord-inspection', formatVersion: 1, startedAt: 0, entries })).map(({ actor, depth, cycle }) => [
    actor.sessionId,
    depth,
    cycle,
  ]);

describe('the page’s actor tree', () => {
  it('lists each actor under its parent, a parent that is not recorded making a root', () => {
    expect(listed([actor(0, 'app', null), actor(1, 'child', 'app'), actor(2, 'orphan', 'gone'), actor(3, 'grandchild', 'child')])).toEqual([
      ['app', 0, false],
      ['child', 1, false],
      ['grandchild', 2, false],
      ['orphan', 0, false],
    ]);
  });

  it('lists actors whose parents form a cycle, under the earliest of the cycle marked as one', () => {
    const entries = [
      actor(0, 'app', null),
      // Hangs from the cycle below, and appeared before it.
      actor(1, 'hanger', 'b'),
      actor(2, 'a', 'c'),
      actor(3, 'b', 'a'),
      actor(4, 'c', 'b'),
      actor(5, 'self', 'self'),
    ];
    expect(listed(entries)).toEqual([
      ['app', 0, false],
      ['a', 0, true],
      ['b', 1, false],
      ['hanger', 2, false],
      ['c', 2, false],
      ['self', 0, true],
    ]);
  });
});
