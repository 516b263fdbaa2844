// Types of actorTree.js, so Node code and tests can order actors exactly as the page does.
import type { PageActor, PageModel } from './model.js';

export interface ActorRow {
  actor: PageActor;
  depth: number;
  /** The earliest actor of a cycle of parents, listed as a root: the tree has no place for it. */
  cycle: boolean;
}

export function actorTree(model: PageModel): ActorRow[];
