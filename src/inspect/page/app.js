// The page: follows the server's live feed (or a loaded file), keeps the
// model, and redraws the three panels once per frame at most.
import { renderActors } from './actorsView.js';
import { h, replaceChildren } from './dom.js';
import { createEventsView } from './eventsView.js';
import { actorName, applyEntry, createModel, eventOfVersion, modelFromRecording, recordingOf } from './model.js';
import { createTimelineView } from './timelineView.js';

const $ = (testId) => document.querySelector(`[data-testid="${testId}"]`);

let model = createModel();
/** 'connecting' | 'live' | 'offline' | 'file' */
let source = 'connecting';
let fileName = '';
let feed = null;
/** `reveal`: the version was just picked, so the event that made it is scrolled to. */
const selection = { stateId: null, version: null, follow: true, actor: null, text: '', reveal: false };

const eventsView = createEventsView($('events'), $('events-count'));
const timelineView = createTimelineView({ picker: $('state-picker'), track: $('timeline'), detail: $('version-panel'), counter: $('versions-count') });

let frame = 0;
function schedule() {
  frame ||= requestAnimationFrame(() => {
    frame = 0;
    render();
  });
}

function pickVersion(version) {
  const timeline = model.states.get(selection.stateId);
  selection.version = version;
  // Picking the newest version follows the run again; any other stays put while new versions arrive.
  selection.follow = timeline?.versions.at(-1)?.version === version;
  selection.reveal = true;
  render();
}

function selectActor(sessionId) {
  selection.actor = selection.actor === sessionId ? null : sessionId;
  render();
}

function renderSource() {
  const status = $('source');
  status.className = `source source-${source}`;
  status.textContent = { connecting: 'connecting…', live: 'live', offline: 'disconnected', file: fileName }[source];
  $('live').hidden = source !== 'file';
}

function renderStatePicker() {
  const picker = $('state-picker');
  const ids = [...model.states.keys()];
  if (picker.options.length !== ids.length) {
    replaceChildren(
      picker,
      ids.map((id) => h('option', { value: id }, `${actorName(model, id)} (${id})`)),
    );
  }
  picker.value = selection.stateId ?? '';
}

/** Draws each panel on its own; returns the errors of those that failed, so one bad value cannot blank the whole page. */
function drawPanels() {
  if (!model.states.has(selection.stateId)) {
    selection.stateId = model.states.keys().next().value ?? null;
    selection.follow = true;
  }
  const timeline = model.states.get(selection.stateId);
  if (timeline && (selection.follow || !timeline.byVersion.has(selection.version))) selection.version = timeline.versions.at(-1).version;
  const panels = [
    renderSource,
    renderStatePicker,
    () => {
      renderActors($('actors'), model, { selected: selection.actor, onSelect: selectActor, stateIds: new Set(model.states.keys()) });
      $('actors-count').textContent = String(model.actors.size);
      $('actor-filter').hidden = selection.actor === null;
      $('actor-filter-name').textContent = selection.actor === null ? '' : actorName(model, selection.actor);
    },
    () => {
      const seq = timeline && selection.version !== null ? eventOfVersion(model, selection.stateId, selection.version) : null;
      eventsView.update(model, { text: selection.text, actor: selection.actor }, { seq, reveal: selection.reveal });
    },
    () => timelineView.update(model, selection, pickVersion),
  ];
  const errors = [];
  for (const draw of panels) {
    try {
      draw();
    } catch (error) {
      errors.push(error);
    }
  }
  selection.reveal = false;
  return errors;
}

function render() {
  for (const error of drawPanels()) console.error('Concord inspector: a panel could not be drawn:', error);
}

function connect() {
  feed?.close();
  source = 'connecting';
  feed = new EventSource('/events');
  feed.addEventListener('reset', (message) => {
    model = modelFromRecording(JSON.parse(message.data));
    source = 'live';
    schedule();
  });
  feed.addEventListener('entries', (message) => {
    for (const entry of JSON.parse(message.data)) applyEntry(model, entry);
    schedule();
  });
  // EventSource reconnects by itself; the next `reset` brings the page up to date.
  feed.addEventListener('error', () => {
    if (source === 'file') return;
    source = 'offline';
    schedule();
  });
  schedule();
}

function save() {
  const blob = new Blob([JSON.stringify(recordingOf(model))], { type: 'application/json' });
  const link = h('a', { href: URL.createObjectURL(blob), download: `concord-inspection-${new Date(model.startedAt).toISOString().replaceAll(':', '-')}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

async function load(file) {
  const shown = { model, source, fileName, selection: { ...selection } };
  try {
    model = modelFromRecording(JSON.parse(await file.text()));
    source = 'file';
    fileName = file.name;
    Object.assign(selection, { stateId: null, version: null, follow: true, actor: null });
    // Drawn before the live feed is let go: a file the panels cannot draw puts back what was shown.
    const [failed] = drawPanels();
    if (failed) throw failed;
    feed?.close();
    feed = null;
    $('load-error').hidden = true;
  } catch (error) {
    ({ model, source, fileName } = shown);
    Object.assign(selection, shown.selection);
    $('load-error').hidden = false;
    $('load-error').textContent = `Could not load ${file.name}: ${error.message}`;
  }
  render();
}

$('save').addEventListener('click', save);
$('load').addEventListener('click', () => $('load-input').click());
$('load-input').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file) void load(file);
  event.target.value = '';
});
$('live').addEventListener('click', () => {
  model = createModel();
  connect();
});
$('event-filter').addEventListener('input', (event) => {
  selection.text = event.target.value.trim().toLowerCase();
  render();
});
$('actor-filter').addEventListener('click', () => selectActor(null));
$('state-picker').addEventListener('change', (event) => {
  Object.assign(selection, { stateId: event.target.value, follow: true });
  render();
});
document.addEventListener('keydown', (event) => {
  if (event.target instanceof HTMLInputElement || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
  const timeline = model.states.get(selection.stateId);
  if (!timeline) return;
  const index = timeline.versions.findIndex((version) => version.version === selection.version);
  const next = timeline.versions[index + (event.key === 'ArrowLeft' ? -1 : 1)];
  if (next) pickVersion(next.version);
});

connect();
