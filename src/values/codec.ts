import { deserialize, serialize } from 'node:v8';

/**
 * Bytes for anything `set` accepts, and back: undefined, bigint, Date, Map,
 * Set, cycles and shared references through v8's serializer (whose format
 * every later Node version still reads), plus what it drops: which objects
 * had a null prototype. A tag byte names this codec's version.
 */
export const CODEC_VERSION = 1;

/** A step from an object to one inside it: a property, or the n-th Map key, Map value or Set item. */
type Step = readonly ['key', string] | readonly ['mapKey' | 'mapValue' | 'setItem', number];

/** Where the null-prototype objects are, each by its first path from the root. */
function nullPrototypePaths(root: unknown): Step[][] {
  const paths: Step[][] = [];
  const seen = new Set<object>();
  const visit = (value: unknown, path: Step[]): void => {
    if (typeof value !== 'object' || value === null || seen.has(value)) return;
    seen.add(value);
    if (value instanceof Map) {
      let i = 0;
      for (const [k, v] of value) {
        visit(k, [...path, ['mapKey', i]]);
        visit(v, [...path, ['mapValue', i]]);
        i++;
      }
    } else if (value instanceof Set) {
      let i = 0;
      for (const item of value) visit(item, [...path, ['setItem', i++]]);
    } else if (!(value instanceof Date)) {
      if (Object.getPrototypeOf(value) === null) paths.push(path);
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], [...path, ['key', key]]);
    }
  };
  visit(root, []);
  return paths;
}

function follow(root: unknown, path: readonly Step[]): unknown {
  let at = root;
  for (const [kind, where] of path) {
    if (kind === 'key') at = (at as Record<string, unknown>)[where];
    else if (kind === 'setItem') at = [...(at as Set<unknown>)][where];
    else at = [...(kind === 'mapKey' ? (at as Map<unknown, unknown>).keys() : (at as Map<unknown, unknown>).values())][where];
  }
  return at;
}

export function encodeValue(value: unknown): Buffer {
  const body = serialize({ value, nullPrototypes: nullPrototypePaths(value) });
  return Buffer.concat([Buffer.of(CODEC_VERSION), body]);
}

/** Decodes what `encodeValue` made; throws on bytes of another codec version. */
export function decodeValue(bytes: Uint8Array): unknown {
  if (bytes[0] !== CODEC_VERSION) throw new Error(`value codec version ${String(bytes[0])}, and this version of Concord reads ${CODEC_VERSION}`);
  const { value, nullPrototypes } = deserialize(Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1)) as {
    value: unknown;
    nullPrototypes: Step[][];
  };
  // The shallowest first: a path below a null-prototype object goes through it as a plain one would.
  for (const path of nullPrototypes) Object.setPrototypeOf(follow(value, path), null);
  return value;
}

/** The codec's bytes as a string JSON can carry, for XState's persisted snapshots. */
export const encodeValueText = (value: unknown): string => encodeValue(value).toString('base64');
export const decodeValueText = (text: string): unknown => decodeValue(Buffer.from(text, 'base64'));
