import type { Snapshot } from 'xstate';
import { z } from 'zod';
import { imageOf, parseImage } from '../commands/logStep.ts';
import { createStateEngine, type StateEngine } from '../commands/stateEngine.ts';
import { StateValidationError } from '../errors.ts';
import { createStateConfig } from '../options.ts';
import { decodeValueText, encodeValueText } from '../values/codec.ts';

/**
 * The state actor's snapshot as XState persists it: a plain value JSON can
 * carry (the state's image goes through the value codec as text), taken
 * whole when asked for, so a later write does not change it.
 */
export const PersistedStateSchema = z.object({
  status: z.enum(['active', 'done', 'error', 'stopped']),
  output: z.undefined().optional(),
  error: z.unknown().optional(),
  format: z.literal('concord-state'),
  formatVersion: z.literal(1),
  options: z.object({ maxHistorySize: z.number().int().min(1), snapshotCacheSize: z.number().int().min(0) }),
  /** The contents, version, history window and known-good marks, through the value codec. */
  image: z.string(),
});
/** @see PersistedStateSchema */
export type PersistedState = z.infer<typeof PersistedStateSchema>;

export function persistState(status: PersistedState['status'], engine: StateEngine): Snapshot<undefined> & PersistedState {
  return {
    ...({ status, output: undefined, error: undefined } as Snapshot<undefined>),
    format: 'concord-state',
    formatVersion: 1,
    options: { maxHistorySize: engine.history.capacity, snapshotCacheSize: engine.snapshots.capacity },
    image: encodeValueText(imageOf(engine.version, engine)),
  };
}

/**
 * An engine rebuilt from a persisted snapshot, sharing nothing with the one
 * it was taken from. Its schema and clock are the defaults: functions do not
 * persist.
 */
export function restoreState(persisted: unknown): { status: PersistedState['status']; engine: StateEngine } {
  const parsed = PersistedStateSchema.safeParse(persisted);
  if (!parsed.success) {
    throw new StateValidationError(
      null,
      parsed.error.issues.map(({ path, message }) => ({ path: ['snapshot', ...path], message })),
    );
  }
  const { maxHistorySize, snapshotCacheSize } = parsed.data.options;
  const image = parseImage(decodeValueText(parsed.data.image));
  const config = createStateConfig({ maxHistorySize, snapshotCacheSize: Math.max(1, snapshotCacheSize), enableSnapshots: snapshotCacheSize > 0 });
  return { status: parsed.data.status, engine: createStateEngine({ ...config, restore: { image, effects: [] } }) };
}
