import { ThreadSafeStateError } from '../errors.ts';

/**
 * Redis could not be reached in time: the write was not confirmed within
 * `commandTimeoutMs`. `appended` says whether Redis had taken the entry: when
 * it had, the write will still be applied on every replica, in its place in
 * the stream; when it had not, it may still have reached the stream in the
 * moment the connection broke. `sync()` and read the state to know.
 */
export class StateUnavailableError extends ThreadSafeStateError {
  override name = 'StateUnavailableError';
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
    readonly appended: boolean,
    options?: ErrorOptions,
  ) {
    super(
      `Cannot ${operation}: Redis did not confirm it within ${timeoutMs} ms` +
        (appended ? ' (the entry is in the stream and will be applied; sync() to see it)' : ' (Redis is unreachable; retry once it is back)'),
      options,
    );
  }
  protected override fields() {
    return { operation: this.operation, timeoutMs: this.timeoutMs, appended: this.appended };
  }
}

/** A write whose stream entry would be over `maxEntryBytes`; refused before it was sent, so nothing changed anywhere. */
export class StateEntryTooLargeError extends ThreadSafeStateError {
  override name = 'StateEntryTooLargeError';
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`The write's stream entry is ${bytes} bytes, over the limit of ${limit} (maxEntryBytes); split it into smaller writes, or raise maxEntryBytes`);
  }
  protected override fields() {
    return { bytes: this.bytes, limit: this.limit };
  }
}
