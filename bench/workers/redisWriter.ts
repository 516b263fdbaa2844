/**
 * A writer process of the Redis section: connects to the state `name` as
 * each subject it is asked to write through (Concord's replicated state, the
 * WATCH/MULTI peer, a raw floor), says it is ready, then writes rounds as
 * bench/redisProcesses.ts asks: its own 100 keys, `inFlight` writes at a
 * time, again until the round's time is up, and reports each round. A write
 * that rejects is counted and reported, not thrown, so that a line shows
 * what a failing write costs instead of ending the run.
 * Usage, with an IPC channel: redisWriter.ts <url> <name> <label>
 */
import { openSubject, type RedisSubject, type SubjectKind } from '../redisSubjects.ts';
import type { FromWriter, ToWriter } from './redisWriterMessages.ts';

const [url = '', name = '', label = ''] = process.argv.slice(2);
if (process.send === undefined) throw new Error('redisWriter.ts runs as a child process with an IPC channel, started by bench/redisProcesses.ts');
const send = (message: FromWriter) => process.send?.(message);
const subjects = new Map<SubjectKind, Promise<RedisSubject>>();
/** Each subject is opened on its first round, which is a warm-up: connecting is never timed. */
function subject(kind: SubjectKind): Promise<RedisSubject> {
  let opened = subjects.get(kind);
  if (opened === undefined) subjects.set(kind, (opened = openSubject(kind, url, name)));
  return opened;
}
// Wall-clock times, so that the rounds of several processes can be laid side by side.
const wallClock = () => performance.timeOrigin + performance.now();
const describe = (error: unknown) => (error instanceof Error ? error.name : String(error));

async function round({ subject: kind, inFlight, ms }: Extract<ToWriter, { kind: 'round' }>): Promise<FromWriter> {
  const batch = await (await subject(kind)).batch(inFlight);
  const started = wallClock();
  const giveUpAt = performance.now() + ms;
  let sent = 0;
  let writes = 0;
  let rejected = 0;
  let rejection: string | null = null;
  do {
    const keys = Array.from({ length: inFlight }, (_, lane) => `${label}_${(sent + lane) % 100}`);
    for (const result of await batch(keys, giveUpAt)) {
      if (result.status === 'fulfilled') writes += result.value ? 1 : 0;
      else {
        rejected++;
        rejection ??= describe(result.reason);
      }
    }
    sent += inFlight;
  } while (performance.now() < giveUpAt);
  return { kind: 'round', writes, rejected, rejection, started, ended: wallClock() };
}

process.on('message', (message: ToWriter) => {
  if (message.kind === 'round') void round(message).then(send);
  else void Promise.all([...subjects.values()].map(async (opened) => (await opened).close())).then(() => process.exit(0));
});
send({ kind: 'ready' });
