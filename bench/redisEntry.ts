/** The entry the raw Redis floors append: the fields Concord's XADD carries for a set of a small number (origin, watermark, request, payload), one proposal to an entry. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { encodeProposal, entryFields } from '../src/redis/streamEntry.ts';

const origin = randomUUID();
const payload = encodeProposal({ write: { type: 'set', key: 'key_1', value: 1 }, timestamp: Date.now(), changedBy: null });
let requestId = 0;

/** The fields after `XADD key *`, each entry with the next request id, as Concord numbers its own. */
export const sampleEntry = (): (string | Buffer)[] => entryFields({ origin, watermark: ++requestId }, [{ requestId, payload }]);

/** XADDs a sample entry; its id. */
export async function appendSample(redis: Redis, stream: string): Promise<string> {
  return (await redis.xadd(stream, '*', ...sampleEntry())) as string;
}

/** A finite BLOCK, as Concord's: long enough never to end while a write is on its way. */
export const BLOCK_MS = 1000;

type XReadReply = [stream: Buffer, entries: [id: Buffer, fields: Buffer[]][]][] | null;

/** The ids of the entries an XREAD of one stream returned. */
export const idsIn = (reply: XReadReply): string[] => (reply?.[0]?.[1] ?? []).map(([id]) => id.toString());
