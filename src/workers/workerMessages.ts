import { z } from 'zod';
import { ErrorPayloadSchema, StateReplySchema } from '../protocol.ts';

/**
 * What crosses the MessagePort between a worker agent and the state's side.
 * Commands inside are validated by the state actor itself, like any other.
 */
export const FromWorkerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('command'), command: z.unknown() }),
  z.strictObject({ kind: z.literal('done'), output: z.unknown() }),
  z.strictObject({ kind: z.literal('failed'), error: ErrorPayloadSchema }),
]);
/** @see FromWorkerSchema */
export type FromWorker = z.infer<typeof FromWorkerSchema>;

export const ToWorkerSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('reply'), reply: StateReplySchema }),
  z.strictObject({ kind: z.literal('changed'), version: z.number() }),
]);
/** @see ToWorkerSchema */
export type ToWorker = z.infer<typeof ToWorkerSchema>;
