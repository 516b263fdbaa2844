/**
 * What the echo floor batches as Concord's worker messages are batched:
 * items pushed in one turn of the event loop leave in one call of `post`,
 * at its end (a setImmediate, so that replies settled in that turn and the
 * commands they lead to make the same message).
 */
export function perTick<T>(post: (items: T[]) => void): { push(...items: T[]): void } {
  let items: T[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = items;
    items = [];
    post(batch);
  };
  return {
    push(...pushed) {
      items.push(...pushed);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
  };
}
