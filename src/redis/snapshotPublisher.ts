import type { Redis } from 'ioredis';
import type { RedisKeys } from './redisKeys.ts';
import { decodeReplicaSnapshot, encodeReplicaSnapshot, type ReplicaSnapshot } from './replicaSnapshot.ts';
import { PUBLISH_SNAPSHOT } from './scripts.ts';

/**
 * Publishes snapshots to Redis, and loads the newest. Publishing is in the
 * background and may fail (Redis away, a newer one already there): the
 * stream then just keeps its entries longer, and the next boundary tries again.
 */
export class SnapshotPublisher {
  readonly #redis: Redis;
  readonly #keys: RedisKeys;
  /** One publication at a time: a slow one is not overtaken by a newer one it would then overwrite (the script refuses it anyway). */
  #publishing: Promise<unknown> = Promise.resolve();

  constructor(redis: Redis, keys: RedisKeys) {
    this.#redis = redis;
    this.#keys = keys;
  }

  publish(snapshot: ReplicaSnapshot): void {
    const bytes = encodeReplicaSnapshot(snapshot);
    const { meta, snapshot: snapshotKey, stream } = this.#keys;
    this.#publishing = this.#publishing
      .then(() => this.#redis.eval(PUBLISH_SNAPSHOT, 3, meta, snapshotKey, stream, String(snapshot.position), snapshot.streamId, bytes))
      .catch(() => undefined);
  }

  /** The newest snapshot, or null when the state has none yet. */
  async load(): Promise<ReplicaSnapshot | null> {
    const bytes = await this.#redis.getBuffer(this.#keys.snapshot);
    return bytes === null ? null : decodeReplicaSnapshot(bytes);
  }
}
