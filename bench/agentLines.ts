/**
 * The agent lines, each beside its floor: agents speaking the protocol
 * beside an actor that only echoes; `fromAgent` agents beside those; worker
 * agents beside a MessagePort echo with the same messages; the pipeline
 * beside as many empty actors as it runs.
 */
import { agentCommandsPerSecond, directAgents, echoAgents, emptyPipelineMillis, fromAgentAgents, pipelineMillis, workerCommandsPerSecond } from './agents.ts';
import { lineOf, type Line } from './line.ts';
import { portEchoCommandsPerSecond } from './portEcho.ts';

const MANY_IN_FLIGHT = 256;
/** Commands per worker on the many-in-flight lines: enough that each round's fresh worker threads warming up are a small part of it (docs/performance.md). */
const MANY_IN_FLIGHT_TIMES = 50_000;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

export async function measureAgentLines(record: (line: Line) => Line): Promise<void> {
  for (const agents of [1, 4]) {
    const [echoRate, directRate, fromAgentRate] = (await agentCommandsPerSecond(agents, [echoAgents, directAgents, fromAgentAgents])) as [
      number,
      number,
      number,
    ];
    const echo = record(lineOf(`floor: in-process echo actor, ${plural(agents, 'agent')} at once`, { value: echoRate, unit: 'cmds/s' }));
    const straight = record(
      lineOf(`agents sending events straight: ${agents} at once`, { value: directRate, unit: 'cmds/s' }, [echo], 'one round trip per command'),
    );
    record(lineOf(`fromAgent agents: ${agents} at once`, { value: fromAgentRate, unit: 'cmds/s' }, [straight], 'the same, through StateClient'));
  }
  for (const workers of [1, 2, 4]) {
    const echo = record(
      lineOf(`floor: MessagePort echo, ${plural(workers, 'worker')}, 1 in flight each`, { value: await portEchoCommandsPerSecond(workers), unit: 'cmds/s' }),
    );
    record(
      lineOf(
        `worker agents: ${workers} writing at once`,
        { value: await workerCommandsPerSecond(workers), unit: 'cmds/s' },
        [echo],
        'one round trip per command',
      ),
    );
  }
  for (const workers of [1, 4]) {
    const echo = record(
      lineOf(`floor: MessagePort echo, ${plural(workers, 'worker')}, ${MANY_IN_FLIGHT} in flight each`, {
        value: await portEchoCommandsPerSecond(workers, MANY_IN_FLIGHT, MANY_IN_FLIGHT_TIMES),
        unit: 'cmds/s',
      }),
    );
    record(
      lineOf(
        `worker agents: ${workers} writing at once, ${MANY_IN_FLIGHT} in flight each`,
        { value: await workerCommandsPerSecond(workers, MANY_IN_FLIGHT, MANY_IN_FLIGHT_TIMES), unit: 'cmds/s' },
        [echo],
      ),
    );
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
