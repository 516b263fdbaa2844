import { deserialize, serialize } from 'node:v8';

/**
 * Bytes for anything `set` accepts, and back. A value JSON carries exactly
 * (finite numbers but -0, strings, booleans, null, plain arrays without holes
 * and plain objects, each reached once) goes as JSON, the common case and
 * the cheap one; anything else (undefined, bigint, Date, Map, Set, cycles,
 * shared references, null prototypes) through v8's serializer, whose format
 * every later Node version still reads, plus the null prototypes it drops.
 * A tag byte names the encoding and its version.
 */
export const CODEC_VERSION = 1;
const JSON_TAG = 2;
const JSON_DEPTH_LIMIT = 64;

/** Whether JSON.parse(JSON.stringify(value)) gives back the same value, identity of shared parts included. */
function carriesAsJson(value: unknown, seen: Set<object>, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth > JSON_DEPTH_LIMIT || seen.has(value)) return false;
  seen.add(value);
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!(i in value) || !carriesAsJson(value[i], seen, depth + 1)) return false;
    return true;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (!carriesAsJson((value as Record<string, unknown>)[key], seen, depth + 1)) return false;
  return true;
}

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
  if (carriesAsJson(value, new Set(), 0)) {
    const json = JSON.stringify(value);
    const bytes = Buffer.allocUnsafe(1 + Buffer.byteLength(json));
    bytes[0] = JSON_TAG;
    bytes.write(json, 1);
    return bytes;
  }
  const body = serialize({ value, nullPrototypes: nullPrototypePaths(value) });
  return Buffer.concat([Buffer.of(CODEC_VERSION), body]);
}

/** Decodes what `encodeValue` made; throws on bytes of another codec version. */
export function decodeValue(bytes: Buffer): unknown {
  if (bytes[0] === JSON_TAG) return JSON.parse(bytes.toString('utf8', 1));
  if (bytes[0] !== CODEC_VERSION) throw new Error(`value codec version ${String(bytes[0])}, and this version of Concord reads ${CODEC_VERSION}`);
  const { value, nullPrototypes } = deserialize(bytes.subarray(1)) as { value: unknown; nullPrototypes: Step[][] };
  // The shallowest first: a path below a null-prototype object goes through it as a plain one would.
  for (const path of nullPrototypes) Object.setPrototypeOf(follow(value, path), null);
  return value;
}

/** The codec's bytes as a string JSON can carry, for XState's persisted snapshots. */
export const encodeValueText = (value: unknown): string => encodeValue(value).toString('base64');
export const decodeValueText = (text: string): unknown => decodeValue(Buffer.from(text, 'base64'));
