/**
 * The agent lines, each beside its floor: agents speaking the protocol
 * beside an actor that only echoes; `fromAgent` agents beside those; worker
 * agents beside a MessagePort echo with the same messages; the pipeline
 * beside as many empty actors as it runs.
 */
import { agentRound, directAgents, echoAgents, emptyPipelineMillis, fromAgentAgents, pipelineMillis, workerRound } from './agents.ts';
import { ratesInTurns } from './harness.ts';
import { lineOf, type Line } from './line.ts';
import { echoRound } from './portEcho.ts';

const MANY_IN_FLIGHT = 256;
/** Commands per worker on the one-in-flight lines. */
const ONE_IN_FLIGHT_TIMES = 10_000;
const IN_PROCESS_ROUNDS = 5;
const WORKER_ROUNDS = 3;
/** Commands per worker on the many-in-flight lines: enough that each round's fresh worker threads warming up are a small part of it (docs/performance.md). */
const MANY_IN_FLIGHT_TIMES = 50_000;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export async function measureAgentLines(record: (line: Line) => Line): Promise<void> {
  for (const agents of [1, 4]) {
    const subjects = [echoAgents, directAgents, fromAgentAgents].map((subject) => () => agentRound(agents, subject));
    const [echoRate, directRate, fromAgentRate] = (await ratesInTurns(subjects, IN_PROCESS_ROUNDS, 1)) as [number, number, number];
    const echo = record(lineOf(`floor: in-process echo actor, ${plural(agents, 'agent')} at once`, { value: echoRate, unit: 'cmds/s' }));
    const straight = record(
      lineOf(`agents sending events straight: ${agents} at once`, { value: directRate, unit: 'cmds/s' }, [echo], 'one round trip per command'),
    );
    record(lineOf(`fromAgent agents: ${agents} at once`, { value: fromAgentRate, unit: 'cmds/s' }, [straight], 'the same, through StateClient'));
  }
  // Each round starts fresh threads: their first round is no warm-up for the next.
  const workerLines = [
    ...[1, 2, 4].map((workers) => ({ workers, inFlight: 1, times: ONE_IN_FLIGHT_TIMES })),
    ...[1, 4].map((workers) => ({ workers, inFlight: MANY_IN_FLIGHT, times: MANY_IN_FLIGHT_TIMES })),
  ];
  for (const { workers, inFlight, times } of workerLines) {
    const [echoRate, workerRate] = (await ratesInTurns(
      [() => echoRound(workers, inFlight, times), () => workerRound(workers, inFlight, times)],
      WORKER_ROUNDS,
    )) as [number, number];
    const each = inFlight === 1 ? '1 in flight each' : `${inFlight} in flight each`;
    const echo = record(lineOf(`floor: MessagePort echo, ${plural(workers, 'worker')}, ${each}`, { value: echoRate, unit: 'cmds/s' }));
    const name = inFlight === 1 ? `worker agents: ${workers} writing at once` : `worker agents: ${workers} writing at once, ${each}`;
    record(lineOf(name, { value: workerRate, unit: 'cmds/s' }, [echo], ...(inFlight === 1 ? ['one round trip per command'] : [])));
  }
  const emptyPipeline = record(
    lineOf(
      'floor: the pipeline with empty agents, 4 stages x 50',
      { value: await emptyPipelineMillis(50), unit: 'ms' },
      [],
      'XState promise actors doing nothing',
    ),
  );
  record(
    lineOf('code-generation pipeline, 50 contracts, end to end', { value: await pipelineMillis(50), unit: 'ms' }, [emptyPipeline], '4 stages x 50 agents'),
  );
}
