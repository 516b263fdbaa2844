import { z } from 'zod';

/**
 * A key pattern: a key as it is (`'completedSteps'`), or with `*` standing
 * for any run of characters, `/` included (`'files/*'` matches `files/a` and
 * `files/src/a.ts`). No other character is special.
 */
export const KeyPatternSchema = z.string().min(1, 'a key pattern must be a non-empty string');

/** Which keys one side of an agent's access reaches: every key, or those its patterns match. */
export interface KeyMatcher {
  /** True when no pattern was given, or one is `*`: every key, present and future. */
  readonly all: boolean;
  matches(this: void, key: string): boolean;
}

const EVERY_KEY: KeyMatcher = Object.freeze({ all: true, matches: () => true });

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The matcher of `patterns`; undefined means every key. Patterns are checked by KeyPatternSchema first. */
export function compileKeyPatterns(patterns: readonly string[] | undefined): KeyMatcher {
  if (patterns === undefined || patterns.includes('*')) return EVERY_KEY;
  const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
  const wildcards = patterns.filter((pattern) => pattern.includes('*'));
  const wildcard = wildcards.length === 0 ? null : new RegExp(`^(?:${wildcards.map((p) => p.split('*').map(escapeRegExp).join('.*')).join('|')})$`, 's');
  return Object.freeze({ all: false, matches: (key: string) => exact.has(key) || (wildcard !== null && wildcard.test(key)) });
}
