// Values as people read them. Recorded values are JSON where what JSON
// cannot carry is a tag, { "$type": "Map", ... }: shown here as Map(2) {...}.

const isTag = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && typeof value.$type === 'string';
const isPlainObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value) && !isTag(value);

/** One line, at most `max` characters. */
export function brief(value, max = 120) {
  const text = inline(value, 3);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function inline(value, depth) {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  // A value that only looks like a tag (an older recording, a WebSocket app's own "$type") reads as the object it is.
  if (isTag(value)) return tagText(value, depth) ?? objectText(value, depth);
  if (depth <= 0) return Array.isArray(value) ? `[…${value.length}]` : '{…}';
  if (Array.isArray(value)) return `[${value.map((item) => inline(item, depth - 1)).join(', ')}]`;
  return objectText(value, depth);
}

function objectText(value, depth) {
  if (depth <= 0) return '{…}';
  const keys = Object.keys(value);
  return `{${keys.map((key) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${inline(value[key], depth - 1)}`).join(', ')}}`;
}

const isObject = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A tag as text; null when the tag does not have the fields its type has. */
function tagText(tag, depth) {
  const text = (value) => (typeof value === 'string' ? value : null);
  const hasText = (field) => typeof tag[field] === 'string';
  switch (tag.$type) {
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return hasText('value') ? `${tag.value}n` : null;
    case 'number':
      return text(tag.value);
    case 'symbol':
      return hasText('description') ? `Symbol(${tag.description})` : null;
    case 'function':
      return `ƒ ${text(tag.name) || 'anonymous'}()`;
    case 'Date':
      return `Date(${text(tag.value) ?? 'invalid'})`;
    case 'Map':
      if (!Array.isArray(tag.entries)) return null;
      return `Map(${tag.entries.length}) {${tag.entries.map((pair) => (Array.isArray(pair) ? `${inline(pair[0], depth - 1)} => ${inline(pair[1], depth - 1)}` : inline(pair, depth - 1))).join(', ')}}`;
    case 'Set':
      if (!Array.isArray(tag.values)) return null;
      return `Set(${tag.values.length}) {${tag.values.map((item) => inline(item, depth - 1)).join(', ')}}`;
    case 'Error':
      return `${String(tag.name)}: ${String(tag.message)}`;
    case 'actor':
      return `actor ${String(tag.id)}`;
    case 'object':
      return isObject(tag.value) ? objectText(tag.value, depth) : null;
    case 'circular':
      return '[circular]';
    case 'ref':
      return Array.isArray(tag.path) ? `[same as ${pathText(tag.path) || 'the value'}]` : null;
    case 'elided':
      return tag.kind === 'array' ? '[…]' : '{…}';
    case 'more':
      return `… ${String(tag.count)} more`;
    case 'unreadable':
      return `[unreadable: ${String(tag.reason)}]`;
    default:
      return `[${tag.$type}]`;
  }
}

/** Pretty JSON: exactly the recorded value, for the snapshot panel. */
export function pretty(value) {
  return JSON.stringify(value, null, 2);
}

function pathText(path) {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('');
}

/**
 * What changed between two recorded values, as lines: added, removed and
 * changed paths inside objects and arrays; a leaf that changed is one line.
 * At most `limit` lines; `truncated` says how many more there were.
 */
export function diffValues(before, after, { existedBefore = true, existsAfter = true, limit = 40 } = {}) {
  const lines = [];
  let total = 0;
  const push = (line) => {
    total += 1;
    if (lines.length < limit) lines.push(line);
  };
  const walk = (a, b, path) => {
    if (JSON.stringify(a) === JSON.stringify(b)) return;
    if (isPlainObject(a) && isPlainObject(b)) {
      for (const key of Object.keys(a)) if (!Object.hasOwn(b, key)) push({ op: 'removed', path: pathText([...path, key]), before: a[key] });
      for (const key of Object.keys(b)) {
        if (!Object.hasOwn(a, key)) push({ op: 'added', path: pathText([...path, key]), after: b[key] });
        else walk(a[key], b[key], [...path, key]);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (i >= a.length) push({ op: 'added', path: pathText([...path, i]), after: b[i] });
        else if (i >= b.length) push({ op: 'removed', path: pathText([...path, i]), before: a[i] });
        else walk(a[i], b[i], [...path, i]);
      }
      return;
    }
    push({ op: 'changed', path: pathText(path), before: a, after: b });
  };
  if (!existedBefore && existsAfter) push({ op: 'added', path: '', after });
  else if (existedBefore && !existsAfter) push({ op: 'removed', path: '', before });
  else walk(before, after, []);
  return { lines, truncated: total - lines.length };
}

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** Wall-clock time with milliseconds: 14:03:07.412. */
export function clockTime(ms) {
  const date = new Date(ms);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** Time since the run started: +1.234 s. */
export function sinceStart(ms, startedAt) {
  const seconds = Math.max(0, ms - startedAt) / 1000;
  return `+${seconds.toFixed(3)} s`;
}
