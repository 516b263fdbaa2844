/** Heap held by one structure: measured with it alive, then again once it is garbage. Run with --expose-gc. */

import { collectGarbage } from './harness.ts';

/** The heap in use while what `make` built is alive; it is garbage once this returns. */
async function heapWhileHeld<T>(make: () => T | Promise<T>, release: (held: T) => void): Promise<number> {
  const held = await make();
  collectGarbage();
  const heap = process.memoryUsage().heapUsed;
  // Used after the measurement, so the structure is alive while it is taken.
  release(held);
  return heap;
}

/** Megabytes of heap that what `make` builds holds; `release` stops it (a state's actor, say). */
export async function heapHeldBy<T>(make: () => T | Promise<T>, release: (held: T) => void = () => undefined): Promise<number> {
  const withHeld = await heapWhileHeld(make, release);
  collectGarbage();
  return (withHeld - process.memoryUsage().heapUsed) / 1e6;
}
