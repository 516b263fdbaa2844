import type { CommandOf } from '../protocol.ts';

/**
 * The `set` commands the facade built from arguments it checked itself, so
 * the actor need not parse them again (the parse was a tenth of a write).
 * Marked by identity, not by a field: a field could be read off one command
 * (by an inspector, say) and copied onto a forged one. Each mark is used
 * once, so a captured command cannot be replayed unparsed either.
 */
const checked = new WeakSet<object>();

/** Marks `command`, which the facade is about to send, as checked. */
export function markChecked(command: CommandOf<'state.set'>): CommandOf<'state.set'> {
  checked.add(command);
  return command;
}

/** True, once, for a command `markChecked` marked. */
export function takeChecked(event: unknown): event is CommandOf<'state.set'> {
  return typeof event === 'object' && event !== null && checked.delete(event);
}
