import { hostname } from 'node:os';
import type { RedisOptions } from 'ioredis';
import { z } from 'zod';
import { StateOptionsError } from '../errors.ts';
import type { ThreadSafeStateOptions } from '../options.ts';

/** Options of `connectThreadSafeState`: every `createThreadSafeState` option, and where the stream is and how to use it. */
export interface ConnectThreadSafeStateOptions<T> extends ThreadSafeStateOptions<T> {
  /** `redis://[:password@]host:port[/db]`, or `rediss://` for TLS; handed to ioredis as it is. */
  url: string;
  /** The state's name: every replica of one name shares one state (its Redis keys start with `concord:{name}:`). */
  name: string;
  /** ioredis options over the URL's (tls, username, password, family, ...); the reconnect and queue settings are Concord's own. */
  redis?: RedisOptions;
  /** How long a write, `sync()` or the connection waits for Redis before rejecting with StateUnavailableError. @default 5000 */
  commandTimeoutMs?: number;
  /** How often `modify` runs its recipe again after another replica wrote the key first, before StateConflictError. @default 100 */
  maxRetries?: number;
  /** Entries between snapshots published to Redis; the stream is trimmed to the snapshot before the newest. An integer >= 1. @default 1000 */
  snapshotEvery?: number;
  /** The largest stream entry a write may make, in bytes; a bigger one rejects with StateEntryTooLargeError before it is sent. @default 1048576 */
  maxEntryBytes?: number;
  /** How long one blocking read of the stream waits before it asks again: always finite, since ioredis can hang in an endless one after a reconnect. @default 1000 */
  blockMs?: number;
  /** This replica's readable name, carried in each of its entries beside its origin id, so every replica can say which process made each version (`originOf`). At most 256 characters. @default `${os.hostname()}:${process.pid}` */
  label?: string;
}

const positiveInteger = (name: string) => z.number().int(`${name} must be an integer`).min(1, `${name} must be an integer >= 1`);

const RedisOwnOptionsSchema = z.object({
  url: z.string().regex(/^rediss?:\/\//, 'url must start with redis:// or rediss://'),
  name: z
    .string()
    .min(1, 'name must be a non-empty string')
    .regex(/^[^{}]+$/, 'name must not contain { or }'),
  redis: z.custom<RedisOptions>((value) => typeof value === 'object' && value !== null, { message: 'redis must be an ioredis options object' }).optional(),
  commandTimeoutMs: positiveInteger('commandTimeoutMs').optional(),
  maxRetries: z.number().int().min(0, 'maxRetries must be an integer >= 0').optional(),
  snapshotEvery: positiveInteger('snapshotEvery').optional(),
  maxEntryBytes: positiveInteger('maxEntryBytes').optional(),
  blockMs: positiveInteger('blockMs').optional(),
  label: z.string('label must be a non-empty string').min(1, 'label must be a non-empty string').max(256, 'label must be at most 256 characters').optional(),
});

/** The replication's own options, every default filled in. */
export type RedisOwnOptions = { readonly [K in keyof z.infer<typeof RedisOwnOptionsSchema>]-?: NonNullable<z.infer<typeof RedisOwnOptionsSchema>[K]> };

const OWN_KEYS = new Set(Object.keys(RedisOwnOptionsSchema.shape));

/** Splits and checks the replication's own options; the rest are checked as createThreadSafeState checks them. */
export function splitRedisOptions<T>(options: ConnectThreadSafeStateOptions<T>): { own: RedisOwnOptions; state: ThreadSafeStateOptions<T> } {
  if (typeof options !== 'object' || options === null) {
    throw new StateOptionsError([{ path: [], message: 'connectThreadSafeState needs an options object with a url and a name' }]);
  }
  const parsed = RedisOwnOptionsSchema.safeParse(Object.fromEntries(Object.entries(options).filter(([key]) => OWN_KEYS.has(key))));
  if (!parsed.success) throw new StateOptionsError(parsed.error.issues.map(({ path, message }) => ({ path, message })));
  const {
    redis = {},
    commandTimeoutMs = 5000,
    maxRetries = 100,
    snapshotEvery = 1000,
    maxEntryBytes = 1024 * 1024,
    blockMs = 1000,
    label = `${hostname()}:${process.pid}`,
    ...where
  } = parsed.data;
  const state = Object.fromEntries(Object.entries(options).filter(([key]) => !OWN_KEYS.has(key))) as ThreadSafeStateOptions<T>;
  return { own: { ...where, redis, commandTimeoutMs, maxRetries, snapshotEvery, maxEntryBytes, blockMs, label }, state };
}
