import { z } from 'zod';

/** Where a version came from: the id and the readable label of the process that proposed the write which made it (a replicated state's replica). */
export const VersionOriginSchema = z.object({ id: z.string(), label: z.string() });
/** @see VersionOriginSchema */
export type VersionOrigin = z.infer<typeof VersionOriginSchema>;

/** What a state may offer beside ThreadSafeState for the inspector to record (a replicated state does): the origin of each version it still holds. */
type OriginOf = (version: number) => VersionOrigin | undefined;

/**
 * The state's `originOf` when it has one (the core states know nothing of
 * origins: the inspector asks, it does not require), its answers checked, so
 * a recording holds only an `{ id, label }` of strings, and a throw answers none.
 */
export function originOfIn(state: object): OriginOf | undefined {
  const originOf: unknown = (state as { originOf?: unknown }).originOf;
  if (typeof originOf !== 'function') return undefined;
  return (version) => {
    try {
      const parsed = VersionOriginSchema.safeParse(originOf.call(state, version));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  };
}
