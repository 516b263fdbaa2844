/** The keys of one replicated state; the `{name}` hash tag keeps them in one slot of a Redis Cluster, as the scripts need. */
export interface RedisKeys {
  /** The entries, in their one total order. */
  readonly stream: string;
  /** The newest published snapshot. */
  readonly snapshot: string;
  /** maxHistorySize, and where the newest snapshot and the trim point are. */
  readonly meta: string;
}

export function redisKeys(name: string): RedisKeys {
  const prefix = `concord:{${name}}`;
  return { stream: `${prefix}:stream`, snapshot: `${prefix}:snapshot`, meta: `${prefix}:meta` };
}
