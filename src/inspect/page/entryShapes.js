// What each kind of entry must hold for the page to fold and draw it: a
// loaded file is checked against these before it replaces what is shown,
// so a damaged file is refused with a message instead of breaking a panel.

const string = (value) => typeof value === 'string';
const number = (value) => typeof value === 'number' && Number.isFinite(value);
const version = (value) => Number.isInteger(value) && value >= 0;
const boolean = (value) => typeof value === 'boolean';
const nullable = (check) => (value) => value === null || check(value);
const object = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);
const arrayOf = (check) => (value) => Array.isArray(value) && value.every(check);
const shape = (fields) => (value) => object(value) && Object.entries(fields).every(([name, check]) => check(value[name]));
const optional = (check) => (value) => value === undefined || check(value);

/** A replicated state's version says which process made it; older recordings, and local states, say nothing. */
const versionOrigin = optional(shape({ id: string, label: string }));

const record = shape({ version, key: string, operation: string, existedBefore: boolean, existsAfter: boolean, changedBy: nullable(string), timestamp: number });

const FIELDS = {
  actor: {
    sessionId: string,
    id: string,
    systemId: nullable(string),
    parentId: nullable(string),
    rootId: nullable(string),
    logic: string,
    machineId: nullable(string),
    origin: string,
  },
  snapshot: { sessionId: string, status: string, eventType: nullable(string) },
  event: { sourceId: nullable(string), targetId: string, type: string },
  reply: { stateId: string, eventSeq: nullable(version), requestId: nullable(string), ok: boolean, version: nullable(version) },
  state: { stateId: string, version, snapshot: object },
  version: { stateId: string, version, records: arrayOf(record), changed: object, removed: arrayOf(string), origin: versionOrigin },
};

const DESCRIBED = new Map([
  [string, 'a string'],
  [number, 'a number'],
  [version, 'a version number'],
  [boolean, 'true or false'],
  [object, 'an object'],
  [versionOrigin, 'absent or an object of an id and a label, both strings'],
]);

/** Throws, naming the entry and the field, when `entry` cannot be drawn; entries of kinds the page does not know pass. */
export function checkEntry(entry, index) {
  if (!object(entry) || !string(entry.kind) || !number(entry.seq) || !number(entry.at)) {
    throw new Error(`entry ${index} is not an entry (expected an object with kind, seq and at)`);
  }
  if (!Object.hasOwn(FIELDS, entry.kind)) return;
  for (const [name, check] of Object.entries(FIELDS[entry.kind])) {
    if (!check(entry[name]))
      throw new Error(
        `entry ${index} (${entry.kind}): ${name} should be ${DESCRIBED.get(check) ?? 'something else'}, received ${JSON.stringify(entry[name]) ?? 'nothing'}`,
      );
  }
}
