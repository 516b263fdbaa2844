/**
 * Stores `value` under `key` as an own property. A plain assignment to
 * "__proto__" would replace the object's prototype instead of storing a key.
 */
export function setOwnKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
