/**
 * Marks a command the facade built from arguments it checked itself, so the
 * actor need not parse it again (the parse was a tenth of a write). Not
 * exported from the package, so no agent can mark its own commands; and a
 * symbol does not survive a MessagePort.
 */
export const CHECKED: unique symbol = Symbol('concord.checkedCommand');

/** True for a command the facade marked with CHECKED. */
export function isChecked(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { [CHECKED]?: true })[CHECKED] === true;
}

/** A command as the facade marks it. */
export type Checked<C> = C & { readonly [CHECKED]: true };
