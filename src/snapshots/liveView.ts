import { ThreadSafeStateError } from '../errors.ts';
import { ABSENT, type VersionedStore } from '../store/versionedStore.ts';

const inspectCustom = Symbol.for('nodejs.util.inspect.custom');

/**
 * A read-only view of the store's newest values that answers only inside
 * `read`: what `waitFor` predicates see. Reading a key through it is a Map
 * lookup, where a snapshot copies every key; with a waiter checked after each
 * write, that copy made a 1,000-key state forty times slower to write to.
 * Outside `read` the store may have moved on, so the view refuses to answer
 * rather than mix versions.
 */
export class LiveView {
  readonly #store: VersionedStore;
  #open = false;
  readonly #view: Readonly<Record<string, unknown>>;

  constructor(store: VersionedStore) {
    this.#store = store;
    const assertOpen = () => {
      if (!this.#open) {
        throw new ThreadSafeStateError(
          'A waitFor predicate can read its snapshot only while it runs: keep the snapshot waitFor resolves with instead',
        );
      }
    };
    const latest = (key: string | symbol): unknown => {
      assertOpen();
      return typeof key === 'string' ? this.#store.latest(key) : ABSENT;
    };
    // The target holds nothing but the hook Node's inspector reads from it
    // directly: logging the view inside a predicate shows the values.
    const target: Record<string | symbol, unknown> = Object.create(null);
    Object.defineProperty(target, inspectCustom, { configurable: true, value: () => (this.#open ? this.#store.objectAt() : '[closed waitFor view]') });
    this.#view = new Proxy(target, {
      get: (_, key) => {
        const value = latest(key);
        return value === ABSENT ? undefined : value;
      },
      has: (_, key) => latest(key) !== ABSENT,
      ownKeys: () => {
        assertOpen();
        return this.#store.keys();
      },
      getOwnPropertyDescriptor: (_, key) => {
        const value = latest(key);
        return value === ABSENT ? undefined : { value, writable: false, enumerable: true, configurable: true };
      },
      set: () => false,
      defineProperty: () => false,
      deleteProperty: () => false,
      setPrototypeOf: () => false,
      preventExtensions: () => false,
    });
  }

  /** Runs `reader` with the view open on the store's newest values. */
  read<R>(reader: (view: Readonly<Record<string, unknown>>) => R): R {
    const wasOpen = this.#open;
    this.#open = true;
    try {
      return reader(this.#view);
    } finally {
      this.#open = wasOpen;
    }
  }
}
