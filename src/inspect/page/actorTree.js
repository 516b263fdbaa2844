// The actors in the order the page lists them: each under its parent, in
// the order they appeared. Parents are what a recording says, and a loaded
// file or a remote app can say anything: actors whose parents form a cycle
// are listed too, under the earliest actor of the cycle, a root marked `cycle`.

/** The earliest actor of the cycle that `actor`'s parents lead into; every actor on the way has a known parent. */
function cycleStart(model, actor) {
  const passed = new Set();
  let at = actor;
  while (!passed.has(at)) {
    passed.add(at);
    at = model.actors.get(at.parentId);
  }
  let earliest = at;
  for (let on = model.actors.get(at.parentId); on !== at; on = model.actors.get(on.parentId)) if (on.firstSeq < earliest.firstSeq) earliest = on;
  return earliest;
}

/** @returns rows `{ actor, depth, cycle }`: every actor of the model once, each after its parent. */
export function actorTree(model) {
  const actors = [...model.actors.values()].sort((a, b) => a.firstSeq - b.firstSeq);
  const children = new Map();
  const roots = [];
  for (const actor of actors) {
    if (actor.parentId !== null && model.actors.has(actor.parentId)) {
      if (!children.has(actor.parentId)) children.set(actor.parentId, []);
      children.get(actor.parentId).push(actor);
    } else roots.push(actor);
  }
  const rows = [];
  const listed = new Set();
  const visit = (actor, depth, cycle) => {
    listed.add(actor);
    rows.push({ actor, depth, cycle });
    for (const child of children.get(actor.sessionId) ?? []) if (!listed.has(child)) visit(child, depth + 1, false);
  };
  for (const root of roots) visit(root, 0, false);
  // An actor no root reaches has a known parent that no root reaches either: its parents lead into a cycle.
  for (const actor of actors) if (!listed.has(actor)) visit(cycleStart(model, actor), 0, true);
  return rows;
}
