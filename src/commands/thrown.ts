import { ThreadSafeStateError, type ErrorPayload } from '../errors.ts';

/**
 * What a thrown value says of itself, read without anything that could throw
 * again: a hostile value (a Proxy whose every trap throws, an error whose
 * `name` getter throws) must not escape the handler that caught it and stop
 * the actor.
 */
export function describeThrown(thrown: unknown): { name: string; message: string } {
  try {
    if (thrown instanceof Error) return { name: String(thrown.name), message: String(thrown.message) };
  } catch {
    // Not readable as an Error: described as a value below.
  }
  try {
    return { name: typeof thrown, message: String(thrown) };
  } catch {
    return { name: typeof thrown, message: 'a thrown value that cannot be read' };
  }
}

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
