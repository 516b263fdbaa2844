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

/**
 * Whether `key` matches `pattern`, `*` matching any run of characters: the
 * greedy two-pointer match, which backtracks only to the last star, so it
 * takes time linear in the key for a pattern of fixed size; a regex built
 * from the pattern could take exponential time on a key an agent chose.
 */
function globMatches(pattern: string, key: string): boolean {
  let p = 0;
  let k = 0;
  let star = -1;
  let resume = 0;
  while (k < key.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = k;
    } else if (p < pattern.length && pattern[p] === key[k]) {
      p++;
      k++;
    } else if (star >= 0) {
      p = star + 1;
      k = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** The matcher of `patterns`; undefined means every key. Patterns are checked by KeyPatternSchema first. */
export function compileKeyPatterns(patterns: readonly string[] | undefined): KeyMatcher {
  if (patterns === undefined || patterns.includes('*')) return EVERY_KEY;
  const exact = new Set(patterns.filter((pattern) => !pattern.includes('*')));
  const wildcards = patterns.filter((pattern) => pattern.includes('*'));
  return Object.freeze({ all: false, matches: (key: string) => exact.has(key) || wildcards.some((pattern) => globMatches(pattern, key)) });
}
