import type { z } from 'zod';
import { grantOfOptions } from '../access/grants.ts';
import { unknownOptions } from '../options.ts';
import { WriteOptionsSchema, type StateCommand } from '../protocol.ts';
import type { WriteOptions } from '../threadSafeState.ts';

/** The fields every write command may carry about who made it and what it expects. */
type Stampable = Extract<StateCommand, { expectedVersion?: number | undefined }> & {
  expectedKeyVersion?: number | undefined;
  expectedKeyVersions?: Record<string, number> | undefined;
};

/** A write's options, those of every method: `accepted` says which of them the method takes. */
export type StampOptions = WriteOptions & { expectedKeyVersion?: number; expectedKeyVersions?: Partial<Record<string, number>> };

/** Who a client's writes come from by default, and when they are made, if the client stamps time. */
export interface WriteStamp {
  readonly changedBy?: string | undefined;
  readonly clock?: (() => number) | undefined;
}

/**
 * Stamps a write command, for the facade and agents' clients alike: who
 * made it (the options', else the client's default; an agent handle's grant,
 * which the state records instead, when the options carry one) and the version it
 * expects, set on the command's own literal, which the actor checks faster
 * than a spread-built one (docs/performance.md); and the time, when the
 * client stamps it, so replaying the commands replays the history. Throws
 * the typed error for an option `accepted` does not name: nothing is sent.
 */
export function stampWrite<C extends Omit<Stampable, 'replyTo'>>(
  command: C,
  options: StampOptions | undefined,
  stamp: WriteStamp,
  accepted: z.ZodObject = WriteOptionsSchema,
): C {
  const refused = options === undefined ? null : unknownOptions(options, accepted);
  if (refused !== null) throw refused;
  command.changedBy = options?.changedBy ?? stamp.changedBy;
  command.expectedVersion = options?.expectedVersion;
  // Only where `accepted` takes them: a method that does not was refused above.
  if (options?.expectedKeyVersion !== undefined) command.expectedKeyVersion = options.expectedKeyVersion;
  if (options?.expectedKeyVersions !== undefined) command.expectedKeyVersions = options.expectedKeyVersions as Record<string, number>;
  const grant = grantOfOptions(options);
  if (grant !== undefined) command.grant = grant;
  if (stamp.clock !== undefined) command.timestamp = stamp.clock();
  return command;
}
