import { describeThrown } from '../describeThrown.ts';
import { ThreadSafeStateError, type ErrorPayload } from '../errors.ts';

/** The payload a reply carries for `thrown`: a Concord error's own, else its description; never throws. */
export function payloadOf(thrown: unknown): ErrorPayload {
  try {
    if (thrown instanceof ThreadSafeStateError) return thrown.toPayload();
  } catch {
    // An object dressed as a Concord error: described as any other value.
  }
  const { name, message } = describeThrown(thrown);
  return { name: isError(thrown) ? name : 'Error', message };
}

function isError(thrown: unknown): boolean {
  try {
    return thrown instanceof Error;
  } catch {
    return false;
  }
}
