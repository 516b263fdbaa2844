import { z } from 'zod';
import { parseImage, type StateImage } from '../commands/logStep.ts';
import { StateKeySchema, VersionSchema } from '../schemas.ts';
import { decodeValue, decodeValueText, encodeValue } from '../values/codec.ts';
import { SeenRequestsSchema } from './seenRequests.ts';
import { VersionOriginsSchema } from './versionOrigins.ts';

/**
 * A replica's whole state at one place in the stream, as published to Redis
 * for replicas that join or fall behind: the state's image (contents,
 * version, history window, known-good marks, through the value codec), and
 * what the stream's order decides beside it (each key's version, the
 * requests already applied, the origin of each version in the window), so
 * a replica loaded from it applies the tail exactly as one that read the
 * stream from the start, and answers `originOf` the same.
 */
export const ReplicaSnapshotSchema = z.object({
  format: z.literal('concord-replica'),
  formatVersion: z.literal(1),
  /** The last stream entry it covers ('0-0' for none). */
  streamId: z.string().regex(/^\d+-\d+$/),
  /** Entries it covers, counted from the stream's first. */
  position: z.number().int().nonnegative(),
  maxHistorySize: z.number().int().min(1),
  /** The state actor's persisted image, as text of the value codec. */
  image: z.string(),
  /** Each key's last write, from a snapshot published before the image carried them; the image's own win. */
  keyVersions: z.array(z.tuple([StateKeySchema, VersionSchema])).optional(),
  seen: SeenRequestsSchema,
  /** A snapshot published before origins were kept has none: its versions answer no origin. */
  origins: VersionOriginsSchema.default([]),
});
/** @see ReplicaSnapshotSchema */
export type ReplicaSnapshot = z.infer<typeof ReplicaSnapshotSchema>;

export const encodeReplicaSnapshot = (snapshot: ReplicaSnapshot): Buffer => encodeValue(snapshot);

/** Throws, saying what was wrong, on bytes that are not a snapshot this version of Concord reads. */
export function decodeReplicaSnapshot(bytes: Buffer): ReplicaSnapshot {
  return ReplicaSnapshotSchema.parse(decodeValue(bytes));
}

/** The state image inside a snapshot, its values made the store's private frozen copies. */
export function imageIn(snapshot: ReplicaSnapshot): StateImage {
  const image = parseImage(decodeValueText(snapshot.image));
  return image.keyVersions === undefined && snapshot.keyVersions !== undefined ? { ...image, keyVersions: snapshot.keyVersions } : image;
}
