import { createThreadSafeState } from './src/index.ts';
const state = createThreadSafeState<Record<string, number>>({ maxHistorySize: 1000 });
for (const [name, opts] of [['no options', undefined], ['with changedBy', { changedBy: 'agent-1' }], ['no options', undefined]] as const) {
  const rs: number[] = [];
  for (let r = 0; r < 7; r++) { const t = performance.now(); for (let i = 0; i < 100_000; i++) await state.set('k' + (i % 10), i, opts); rs.push(100_000 / (performance.now() - t) * 1000); }
  rs.sort((a, b) => a - b); console.log(name, Math.round(rs[3]!));
}
