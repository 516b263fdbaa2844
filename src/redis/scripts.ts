/**
 * The two steps that must be atomic in Redis, as Lua scripts. KEYS are
 * always meta, snapshot, stream (see redisKeys.ts).
 */

/**
 * Creates the state on first use: the meta hash with its maxHistorySize and
 * the seed snapshot (ARGV[2]), unless it exists. Returns the maxHistorySize
 * the state has, for the caller to compare with its own (ARGV[1]).
 */
export const CREATE_OR_READ = `
local existing = redis.call('HGET', KEYS[1], 'maxHistorySize')
if existing then return existing end
redis.call('HSET', KEYS[1], 'maxHistorySize', ARGV[1], 'snapshotPosition', '0', 'snapshotId', '0-0', 'floorId', '0-0')
redis.call('SET', KEYS[2], ARGV[2])
return ARGV[1]
`;

/**
 * Publishes a snapshot (ARGV[3]) taken at stream position ARGV[1], entry
 * ARGV[2], if it is newer than the one there; then trims the stream below
 * the snapshot it replaces, never below one a replica could still load, so a
 * replica at most one snapshot behind reads on without a gap. MINID, not
 * MAXLEN ~: exactly what is older goes. Returns 1 when published.
 */
export const PUBLISH_SNAPSHOT = `
local position = tonumber(redis.call('HGET', KEYS[1], 'snapshotPosition') or '0')
if tonumber(ARGV[1]) <= position then return 0 end
local previous = redis.call('HGET', KEYS[1], 'snapshotId') or '0-0'
redis.call('SET', KEYS[2], ARGV[3])
redis.call('HSET', KEYS[1], 'snapshotPosition', ARGV[1], 'snapshotId', ARGV[2], 'floorId', previous)
redis.call('XTRIM', KEYS[3], 'MINID', previous)
return 1
`;
