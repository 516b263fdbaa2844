import { z } from 'zod';
import { VersionOriginSchema, type VersionOrigin } from '../inspect/versionOrigin.ts';
import { VersionSchema } from '../schemas.ts';

/** The origins as a replica snapshot carries them: each origin once, with the versions it made. */
export const VersionOriginsSchema = z.array(VersionOriginSchema.extend({ versions: z.array(VersionSchema) }));

/**
 * The origin of each version a replica made, kept for the versions its
 * history window still holds and dropped with them, so every replica (and
 * one loaded from a snapshot) answers the same for the same versions.
 */
export class VersionOrigins {
  /** Version -> origin; versions only grow, so the Map's order is oldest first. */
  readonly #byVersion = new Map<number, VersionOrigin>();

  /** A copy: what callers hold never changes what the replica answers. */
  of(version: number): VersionOrigin | undefined {
    const origin = this.#byVersion.get(version);
    return origin === undefined ? undefined : { ...origin };
  }

  record(version: number, origin: VersionOrigin): void {
    this.#byVersion.set(version, origin);
  }

  /** Forgets every version up to `floor`: the history no longer reaches them. */
  dropThrough(floor: number): void {
    for (const version of this.#byVersion.keys()) {
      if (version > floor) return;
      this.#byVersion.delete(version);
    }
  }

  toJSON(): z.infer<typeof VersionOriginsSchema> {
    const grouped = new Map<string, z.infer<typeof VersionOriginsSchema>[number]>();
    for (const [version, { id, label }] of this.#byVersion) {
      const key = JSON.stringify([id, label]);
      const group = grouped.get(key);
      if (group === undefined) grouped.set(key, { id, label, versions: [version] });
      else group.versions.push(version);
    }
    return [...grouped.values()];
  }

  static from(saved: z.infer<typeof VersionOriginsSchema>): VersionOrigins {
    const origins = new VersionOrigins();
    const versions = saved.flatMap(({ id, label, versions }) => {
      const origin = { id, label };
      return versions.map((version): [number, VersionOrigin] => [version, origin]);
    });
    for (const [version, origin] of versions.sort(([a], [b]) => a - b)) origins.record(version, origin);
    return origins;
  }
}
