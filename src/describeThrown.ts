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
