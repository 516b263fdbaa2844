import { LogEffectSchema, parseImage, type LogEffect, type StateImage } from '../commands/logStep.ts';
import { StateJournalError } from '../errors.ts';
import { decodeValue, encodeValue } from '../values/codec.ts';
import { toStorable } from '../values/storable.ts';

export const encodeEffect = (effect: LogEffect): Buffer => encodeValue(effect);
export const encodeImage = (image: StateImage): Buffer => encodeValue(image);

/** Values come back as the store keeps them: private, deep-frozen copies. */
function decoded<T>(what: string, dir: string, bytes: Buffer, parse: (value: unknown) => T): T {
  try {
    return parse(decodeValue(bytes));
  } catch (cause) {
    throw new StateJournalError(`${dir}: a ${what} in the journal could not be decoded: ${cause instanceof Error ? cause.message : String(cause)}`, dir, null, {
      cause,
    });
  }
}

export function decodeImage(dir: string, bytes: Buffer): StateImage {
  return decoded('snapshot', dir, bytes, parseImage);
}

export function decodeEffect(dir: string, bytes: Buffer): LogEffect {
  return decoded('record', dir, bytes, (value) => {
    const effect = LogEffectSchema.parse(value);
    return effect.kind === 'commit'
      ? { ...effect, changes: effect.changes.map((change) => ({ ...change, value: toStorable(change.key, change.value) })) }
      : effect;
  });
}
