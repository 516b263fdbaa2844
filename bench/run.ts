/**
 * `npm run bench`: every line beside its floor or its peers, as a ratio
 * measured in the same run (medians of ROUNDS rounds on this machine), then
 * the targets of issues 14 and 15 checked against those ratios. Prints the
 * tables and writes bench/results.json, which bench/readme.ts turns into
 * docs/performance.md. About 10 minutes on a 2-core machine, 1 min 40 s of
 * it the reference's Python and 1 min 30 s the replicated states.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { measureAgentLines } from './agentLines.ts';
import { compareWithPeers, printComparison, printPeerNotes } from './comparison.ts';
import { measureConcordLines } from './concordLines.ts';
import { measureConcord } from './concordWorkloads.ts';
import { durableLines, measureDurable } from './durable.ts';
import { measureDurableFloors } from './durableFloors.ts';
import { measureFloors } from './floors.ts';
import { ROUNDS } from './harness.ts';
import { PEERS_WITH_HISTORY } from './historyPeers.ts';
import { printLine, type Line } from './line.ts';
import { measurePeers, type PeerRow } from './peerHarness.ts';
import { PEERS_WITHOUT_HISTORY } from './peers.ts';
import { measureRedis } from './redis.ts';
import { checkRedisTargets } from './redisTargets.ts';
import { compareWithReference, runReference, type Counterpart, type ReferenceComparison } from './reference.ts';
import { measureReferenceWorkloads } from './referenceWorkloads.ts';
import { checkTargets, printTargets } from './targets.ts';

const COMMAND = 'npm run bench';

const lines: Line[] = [];
const record = (line: Line) => {
  lines.push(line);
  printLine(line);
  return line;
};
const started = performance.now();
const section = (title: string) => console.log(`\n[${Math.round((performance.now() - started) / 1000)} s] ${title}\n`);

// The machine is shared: the load beside the run says how far its figures, the floors' with them, were pushed down.
const loadAverage = () => loadavg()[0]?.toFixed(1) ?? 'unknown';
const loadAtStart = loadAverage();
console.log(`Concord benchmark (\`${COMMAND}\`): medians of ${ROUNDS} rounds, Node ${process.version}, load average ${loadAtStart} at the start.`);
console.log('Each ratio: how many times as fast (or as lean) the line is as what it stands beside, in this run; above 1 is ahead.');

section('Concord beside its floors:');
const floors = await measureFloors(record);
await measureConcordLines(floors, record);

section('Agents beside their floors:');
await measureAgentLines(record);

section('The reference Python (../shared/reference/python/bench_ref.py), about 1 min 40 s: running...');
const referenceRun = runReference();
const referenceWorkloads = referenceRun.ran ? await measureReferenceWorkloads() : [];

section('Side by side with the peers, on the same workloads (Concord / peer as a ratio: above 1, Concord is ahead):');
const peerRows: PeerRow[] = [...(await measureConcord()), ...(await measurePeers([...PEERS_WITH_HISTORY, ...PEERS_WITHOUT_HISTORY]))];
const peerComparisons = compareWithPeers(peerRows);
console.log('Peers that keep history, and the floor of a Map with a history ring:\n');
printComparison(peerRows, peerComparisons, ['keeps history', 'floor']);
console.log('\nPeers that keep no history (no versions, no rollback):\n');
printComparison(peerRows, peerComparisons, ['keeps no history']);
console.log();
printPeerNotes(peerRows);

section('Beside the reference Python:');
let reference: ReferenceComparison | undefined;
if (referenceRun.ran) {
  console.log(`Python ${referenceRun.python}, records: ${referenceRun.recordImpl}, ran ${referenceRun.durationSeconds} s from ${referenceRun.startedUtc}.\n`);
  const find = (counterpart: Counterpart): Line | undefined => {
    if ('line' in counterpart) return [...lines, ...referenceWorkloads].find((line) => line.name === counterpart.line);
    const row = peerRows.find((peer) => peer.group === 'Concord' && peer.workload === counterpart.workload && peer.keys === counterpart.keys);
    return row === undefined
      ? undefined
      : { name: `${row.workload}, ${row.keys.toLocaleString('en-US')} keys (the peers' workload)`, value: row.value, unit: row.unit, against: [] };
  };
  reference = compareWithReference(referenceRun, find);
  for (const line of reference.lines) printLine(line);
  console.log(`\nPython figures beside no Concord line:\n${reference.unmatched.map((text) => `  ${text}`).join('\n')}`);
} else console.log(`skipped: ${referenceRun.reason}`);

section('Durable states, beside the disk floors and SQLite:');
const durable = durableLines(await measureDurable(), measureDurableFloors());
for (const line of durable) printLine(line);

section('Replicated states through Redis, beside the raw Redis floors and a hand-written peer:');
const redisLines: Line[] = [];
const redisRun = await measureRedis((line) => {
  redisLines.push(line);
  printLine(line);
  return line;
});
if (!redisRun.ran) console.log(redisRun.reason);

section('Targets of issue 14, checked against the ratios of this run:');
const targets = checkTargets(lines, peerComparisons, reference);
printTargets(targets);

section('Targets of issue 15, checked against the ratios of this run:');
const redisTargets = checkRedisTargets(redisLines);
printTargets(redisTargets);

const results = {
  command: COMMAND,
  node: process.version,
  rounds: ROUNDS,
  measuredAt: new Date().toISOString(),
  loadAverage: { start: loadAtStart, end: loadAverage() },
  lines,
  peers: peerRows,
  peerComparisons,
  reference: referenceRun.ran
    ? { ran: true, python: referenceRun.python, recordImpl: referenceRun.recordImpl, startedUtc: referenceRun.startedUtc, ...reference }
    : { ran: false, reason: referenceRun.reason },
  durable,
  targets,
  redis: { ...redisRun, lines: redisLines, targets: redisTargets },
};
writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
console.log(`\nwrote bench/results.json after ${Math.round((performance.now() - started) / 1000)} s; load average ${results.loadAverage.end} at the end`);
process.exit(0);
