import { createThreadSafeState } from 'concord-state';

const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));
const tenAgents = (work: () => Promise<void>) => Promise.all(Array.from({ length: 10 }, work));

// The reference's read-modify-write: a get, an await (an agent doing its work), then a set.
const racy = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
await tenAgents(async () => {
  for (let i = 0; i < 100; i++) {
    const seen = racy.get('counter', 0);
    await yieldToOthers();
    await racy.set('counter', seen + 1);
  }
});
console.log('get then set:', racy.get('counter')); // well below 1000: other agents' increments were overwritten

// modify runs the recipe inside the mailbox: nothing can come between the read and the write.
const atomic = createThreadSafeState<{ counter: number }>({ initialState: { counter: 0 } });
await tenAgents(async () => {
  for (let i = 0; i < 100; i++) {
    await atomic.modify('counter', (n) => n + 1, { default: 0 });
    await yieldToOthers();
  }
});
console.log('modify:', atomic.get('counter')); // 1000
racy.stop();
atomic.stop();
