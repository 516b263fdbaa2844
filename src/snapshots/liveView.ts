import { ThreadSafeStateError } from '../errors.ts';
import { ABSENT, type VersionedStore } from '../store/versionedStore.ts';

type View = Readonly<Record<string, unknown>>;

/** An array index, which a plain object lists before its other keys, in numeric order. */
const isArrayIndex = (key: string) => /^(0|[1-9]\d*)$/.test(key) && Number(key) < 2 ** 32 - 1;

/** `keys` (insertion order) in the order a plain object with those keys lists them. */
function objectKeyOrder(keys: string[]): string[] {
  const indexes = keys.filter(isArrayIndex);
  if (indexes.length === 0) return keys;
  return [...indexes.sort((a, b) => Number(a) - Number(b)), ...keys.filter((key) => !isArrayIndex(key))];
}

/**
 * Read-only views of the store's newest values, each answering only inside
 * the `read` that made it: what `waitFor` predicates see when a write is
 * published. Reading a key through a view is a Map lookup, where a snapshot
 * copies every key; with a waiter checked after each write, that copy made a
 * 1,000-key state forty times slower to write to. A view kept after its
 * `read` refuses to answer rather than show a later version.
 */
export class LiveView {
  /** The targets of the views whose `read` is running (reads nest). */
  readonly #open = new Set<object>();
  readonly #handler: ProxyHandler<object>;
  /**
   * The targets' prototype, holding only the hook Node's inspector reads
   * from a proxy's target: logging a view inside a predicate shows its values.
   */
  readonly #inspectable: object;

  constructor(store: VersionedStore) {
    const valueOf = (target: object, key: string | symbol): unknown => {
      this.#assertOpen(target);
      return typeof key === 'string' ? store.latest(key) : ABSENT;
    };
    this.#inspectable = Object.create(null, {
      [Symbol.for('nodejs.util.inspect.custom')]: {
        value(this: View) {
          try {
            return { ...this };
          } catch {
            return '[a closed waitFor view]';
          }
        },
      },
    }) as object;
    this.#handler = {
      get: (target, key) => {
        const value = valueOf(target, key);
        return value === ABSENT ? undefined : value;
      },
      has: (target, key) => valueOf(target, key) !== ABSENT,
      ownKeys: (target) => {
        this.#assertOpen(target);
        return objectKeyOrder(store.keys());
      },
      getOwnPropertyDescriptor: (target, key) => {
        const value = valueOf(target, key);
        return value === ABSENT ? undefined : { value, writable: false, enumerable: true, configurable: true };
      },
      // A snapshot has no prototype.
      getPrototypeOf: () => null,
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      setPrototypeOf: () => false,
      preventExtensions: () => false,
    };
  }

  /** Runs `reader` with a new view of the store's newest values, open until it returns. */
  read<R>(reader: (view: View) => R): R {
    const target = Object.create(this.#inspectable) as object;
    this.#open.add(target);
    try {
      return reader(new Proxy(target, this.#handler) as View);
    } finally {
      this.#open.delete(target);
    }
  }

  #assertOpen(target: object): void {
    if (!this.#open.has(target)) {
      throw new ThreadSafeStateError('A waitFor predicate can read its snapshot only while it runs: keep the snapshot waitFor resolves with instead');
    }
  }
}
