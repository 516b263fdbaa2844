// A shared state's versions on a timeline; for the version picked, its
// change records (old -> new as a diff) and its snapshot, with the keys
// that changed highlighted.
import { h, replaceChildren } from './dom.js';
import { brief, clockTime, diffValues, pretty } from './format.js';
import { eventOfVersion } from './model.js';

function versionTitle(version) {
  if (version.records.length === 0) return `v${version.version}: the oldest version recorded`;
  const keys = [...new Set(version.records.map((record) => record.key))].join(', ');
  const by = [...new Set(version.records.map((record) => record.changedBy ?? 'unknown'))].join(', ');
  const from = version.origin === null ? '' : ` from ${version.origin.label}`;
  return `v${version.version}: ${version.records[0].operation} ${keys} by ${by}${from} at ${clockTime(version.at)}`;
}

function versionButton(version, onPick) {
  const operation = version.records[0]?.operation ?? 'base';
  return h(
    'button',
    {
      type: 'button',
      class: `tick op-${operation}${version.version % 5 === 0 ? ' labelled' : ''}`,
      'data-testid': 'version',
      'data-version': version.version,
      title: versionTitle(version),
      onclick: () => onPick(version.version),
    },
    h('span', { class: 'tick-bar', style: `--changes: ${Math.min(version.records.length, 6)}` }),
    h('span', { class: 'tick-label' }, version.version),
  );
}

/**
 * A record's old and new values: recorded ones are trimmed, so when the
 * record is its key's only change in the version, the whole values are read
 * from the snapshots before and after it.
 */
function recordValues(record, version, previous) {
  const alone = previous?.version === version.version - 1 && version.records.filter((other) => other.key === record.key).length === 1;
  if (!alone) return { before: record.oldValue, after: record.newValue };
  return { before: previous.snapshot[record.key], after: version.snapshot[record.key] };
}

function diffList(record, { before, after }) {
  const { lines, truncated } = diffValues(before, after, record);
  return h(
    'ul',
    { class: 'diff', 'data-testid': 'change-diff' },
    lines.map((line) =>
      h(
        'li',
        { class: `diff-${line.op}` },
        h('span', { class: 'diff-sign' }, line.op === 'added' ? '+' : line.op === 'removed' ? '−' : '~'),
        h('span', { class: 'diff-path' }, line.path || record.key),
        line.op !== 'added' ? h('span', { class: 'old', title: brief(line.before, 2000) }, brief(line.before)) : null,
        line.op === 'changed' ? h('span', { class: 'diff-arrow' }, '→') : null,
        line.op !== 'removed' ? h('span', { class: 'new', title: brief(line.after, 2000) }, brief(line.after)) : null,
      ),
    ),
    truncated > 0 ? h('li', { class: 'diff-more' }, `… ${truncated} more changes`) : null,
    lines.length === 0 ? h('li', { class: 'diff-same' }, 'same value') : null,
  );
}

function recordItem(record, values) {
  return h(
    'li',
    { class: `record op-${record.operation}`, 'data-testid': 'change-record', 'data-key': record.key, 'data-operation': record.operation },
    h(
      'div',
      { class: 'record-head' },
      h('span', { class: 'op' }, record.operation),
      h('span', { class: 'key' }, record.key),
      h('span', { class: 'by', 'data-testid': 'changed-by' }, record.changedBy ?? 'unknown'),
      h('span', { class: 'time' }, clockTime(record.timestamp)),
    ),
    diffList(record, values),
  );
}

function snapshotPanel(version) {
  const keys = Object.keys(version.snapshot);
  const rows = keys.map((key) => {
    const changed = version.changedKeys.has(key);
    return h(
      'div',
      { class: `key-row${changed ? ' changed' : ''}`, 'data-testid': 'snapshot-key', 'data-key': key, 'data-changed': String(changed) },
      h(
        'button',
        {
          type: 'button',
          class: 'key-name',
          title: 'show or hide the whole value',
          onclick: (event) => event.currentTarget.parentElement.classList.toggle('expanded'),
        },
        key,
        changed ? h('span', { class: 'changed-tag' }, 'changed') : null,
        h('span', { class: 'key-brief' }, brief(version.snapshot[key], 200)),
      ),
      h('pre', { class: 'key-value', 'data-testid': 'snapshot-value' }, pretty(version.snapshot[key])),
    );
  });
  const removed = version.removedKeys.map((key) =>
    h(
      'div',
      { class: 'key-row removed', 'data-testid': 'snapshot-removed', 'data-key': key },
      h('div', { class: 'key-name' }, h('span', { class: 'key-text' }, key), h('span', { class: 'changed-tag' }, 'removed')),
    ),
  );
  return h(
    'section',
    { class: 'snapshot', 'data-testid': 'snapshot', 'data-version': version.version },
    h('h3', {}, `Snapshot at v${version.version}`, h('small', {}, `${keys.length} keys · ${version.changedKeys.size} changed`)),
    rows.length + removed.length > 0 ? [...rows, ...removed] : h('p', { class: 'empty' }, 'Empty: no keys at this version.'),
  );
}

function detail(timeline, version, onPick, madeBy) {
  const index = timeline.versions.indexOf(version);
  const previous = timeline.versions[index - 1];
  const next = timeline.versions[index + 1];
  const by = [...new Set(version.records.map((record) => record.changedBy ?? 'unknown'))];
  return [
    h(
      'header',
      { class: 'version-head', 'data-testid': 'version-detail', 'data-version': version.version },
      h(
        'span',
        { class: 'stepper' },
        h('button', { type: 'button', disabled: !previous, title: 'previous version (←)', onclick: () => previous && onPick(previous.version) }, '←'),
        h('button', { type: 'button', disabled: !next, title: 'next version (→)', onclick: () => next && onPick(next.version) }, '→'),
      ),
      h('h3', {}, `Version ${version.version}`),
      h('span', { class: 'muted' }, `${index + 1} of ${timeline.versions.length}`),
      version.records.length > 0 ? h('span', { class: 'chip' }, `${version.records.length} change${version.records.length === 1 ? '' : 's'}`) : null,
      by.length > 0 ? h('span', { class: 'chip by' }, by.join(', ')) : null,
      // A replicated state's version: the process whose write made it, beside the agents that wrote.
      version.origin === null
        ? null
        : h('span', { class: 'chip origin', 'data-testid': 'version-origin', title: `replica ${version.origin.id}` }, `from ${version.origin.label}`),
      madeBy === null
        ? null
        : h(
            'span',
            { class: 'chip', 'data-testid': 'version-event', 'data-seq': madeBy, title: 'the command that made this version, highlighted in Events' },
            `event #${madeBy}`,
          ),
      h('span', { class: 'muted time' }, clockTime(version.at)),
    ),
    version.records.length > 0
      ? h(
          'section',
          { class: 'records' },
          h('h3', {}, 'Changes'),
          h(
            'ol',
            {},
            version.records.map((record) => recordItem(record, recordValues(record, version, previous))),
          ),
        )
      : h('p', { class: 'muted note' }, 'The oldest version recorded: the snapshot the state had when the inspector met it.'),
    snapshotPanel(version),
  ];
}

/** The timeline of the selected state, and the detail of the selected version. */
export function createTimelineView({ picker, track, detail: detailElement, counter }) {
  let drawnState = null;
  let drawnCount = 0;
  let drawnDetail = null;
  let drawnMadeBy = null;

  return {
    update(model, selection, onPick) {
      const timeline = model.states.get(selection.stateId);
      if (!timeline) {
        drawnState = null;
        replaceChildren(track);
        replaceChildren(detailElement, h('p', { class: 'empty' }, 'No shared state yet. Its versions appear here as it is written.'));
        counter.textContent = '0';
        picker.hidden = true;
        return;
      }
      picker.hidden = model.states.size < 2;
      if (drawnState !== timeline) {
        replaceChildren(track);
        drawnState = timeline;
        drawnCount = 0;
        drawnDetail = null;
      }
      // One fragment, not append(...ticks): spreading a long array passes the engine's limit on arguments.
      const ticks = document.createDocumentFragment();
      for (let i = drawnCount; i < timeline.versions.length; i++) ticks.append(versionButton(timeline.versions[i], onPick));
      track.append(ticks);
      drawnCount = timeline.versions.length;
      counter.textContent = String(timeline.versions.length);
      const version = timeline.byVersion.get(selection.version) ?? timeline.versions.at(-1);
      // The reply naming the version's event may come after the version itself.
      const madeBy = eventOfVersion(model, timeline.stateId, version.version);
      if (drawnDetail === version && drawnMadeBy === madeBy) return;
      drawnDetail = version;
      drawnMadeBy = madeBy;
      for (const selected of track.querySelectorAll('.tick.selected')) selected.classList.remove('selected');
      const tick = track.querySelector(`[data-version="${version.version}"]`);
      tick?.classList.add('selected');
      tick?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      replaceChildren(detailElement, detail(timeline, version, onPick, madeBy));
    },
  };
}
