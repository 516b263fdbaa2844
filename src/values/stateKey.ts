import { StateValidationError } from '../errors.ts';

/** Throws StateValidationError unless `key` is a non-empty string, the only keys a state stores. */
export function assertKey(key: unknown): asserts key is string {
  if (typeof key === 'string' && key !== '') return;
  const received = typeof key === 'string' ? 'an empty string' : typeof key;
  throw new StateValidationError(null, [{ path: ['key'], message: `a key must be a non-empty string, received ${received}` }]);
}

/** `key`, checked by assertKey. */
export function checkedKey(key: unknown): string {
  assertKey(key);
  return key;
}
