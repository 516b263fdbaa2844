// The events between actors, in the order they were delivered: who sent
// what to whom, and for a command to a shared state, whether it was applied
// or refused. New events are appended; a filter change redraws.
import { h, replaceChildren } from './dom.js';
import { brief, clockTime, pretty, sinceStart } from './format.js';
import { actorName } from './model.js';

/** Beyond this many rows the oldest are left out of the page (the recording keeps them all). */
const MAX_ROWS = 3000;

const WRITES = new Set(['state.set', 'state.update', 'state.delete', 'state.clear', 'state.modify', 'state.rollback']);

const isUndefinedTag = (value) => value !== null && typeof value === 'object' && value.$type === 'undefined' && Object.keys(value).length === 1;

/** The payload on one line: fields left undefined (an option not given) say nothing there; the details keep them. */
function payload(event) {
  const { type: _type, ...rest } = event.event ?? {};
  for (const key of Object.keys(rest)) if (isUndefinedTag(rest[key])) delete rest[key];
  return Object.keys(rest).length === 0 ? '' : brief(rest, 160);
}

function errorText(error) {
  if (error !== null && typeof error === 'object' && typeof error.name === 'string' && typeof error.message === 'string')
    return `${error.name}: ${error.message}`;
  return brief(error, 200);
}

/** What came of the event: for a command, the state's reply to it; for a `state.reply`, the reply itself. Null for any other event. */
function outcomeOf(model, event) {
  const reply = model.replyByEvent.get(event.seq);
  if (reply) {
    if (!reply.ok) return { ok: false, text: `refused: ${errorText(reply.error)}` };
    if (!WRITES.has(event.type)) return { ok: true, text: 'answered' };
    return { ok: true, text: reply.version === null ? 'applied, no change' : `applied → v${reply.version}` };
  }
  const sent = event.event;
  if (event.type === 'state.reply' && sent !== null && typeof sent === 'object' && typeof sent.ok === 'boolean') {
    return sent.ok ? { ok: true, text: 'ok' } : { ok: false, text: `refused: ${errorText(sent.error)}` };
  }
  return null;
}

function showOutcome(element, outcome) {
  if (!outcome) return;
  element.className = `outcome ${outcome.ok ? 'applied' : 'refused'}`;
  element.dataset.ok = String(outcome.ok);
  element.textContent = outcome.text;
  element.title = outcome.text;
}

function matches(model, event, { text, actor }) {
  if (actor && event.sourceId !== actor && event.targetId !== actor) return false;
  if (!text) return true;
  const haystack = `${event.type} ${actorName(model, event.sourceId)} ${actorName(model, event.targetId)}`.toLowerCase();
  return haystack.includes(text);
}

function detailsText(model, event) {
  const reply = model.replyByEvent.get(event.seq);
  const head = `${clockTime(event.at)} (${sinceStart(event.at, model.startedAt)})\n${pretty(event.event)}`;
  if (!reply) return head;
  const { ok, result, error, version, requestId } = reply;
  return `${head}\n\nreply: ${pretty({ ok, requestId, version, ...(ok ? { result } : { error }) })}`;
}

function eventRow(model, event) {
  const internal = event.type.startsWith('xstate.');
  const details = h('pre', { class: 'event-details', hidden: true });
  const from = event.sourceId === null ? 'outside' : actorName(model, event.sourceId);
  const outcome = h('span', { class: 'outcome', 'data-testid': 'event-outcome' });
  showOutcome(outcome, outcomeOf(model, event));
  const toggle = () => {
    // Written when opened: the reply may have come after the row was drawn.
    if (details.hidden) details.textContent = detailsText(model, event);
    details.hidden = !details.hidden;
  };
  return h(
    'li',
    {
      class: `event${internal ? ' internal' : ''}`,
      'data-testid': 'event',
      'data-seq': event.seq,
      'data-type': event.type,
      'data-source': from,
      'data-target': actorName(model, event.targetId),
    },
    h(
      'button',
      { type: 'button', class: 'event-head', title: `${sinceStart(event.at, model.startedAt)} · click for the whole event`, onclick: toggle },
      h('span', { class: 'seq' }, `#${event.seq}`),
      h('span', { class: `from${event.sourceId === null ? ' outside' : ''}` }, from),
      h('span', { class: 'arrow' }, '→'),
      h('span', { class: 'to' }, actorName(model, event.targetId)),
      h('span', { class: 'type' }, event.type),
      outcome,
      h('span', { class: 'summary' }, payload(event)),
    ),
    details,
  );
}

/**
 * The events list; `update` appends what is new, or redraws when the model
 * or the filter changed. `picked.seq` is the event highlighted (the one that
 * made the version picked), scrolled to when `picked.reveal`.
 */
export function createEventsView(list, counter) {
  let drawnModel = null;
  let drawnFilter = '';
  let drawnActorRevision = -1;
  let drawn = 0;
  let shown = 0;
  let drawnReplies = 0;
  /** The rows on the page by event seq, with their events: a reply arriving after its command's row is drawn fills it in. */
  const rows = new Map();

  const highlight = (seq, reveal) => {
    const row = seq === null ? undefined : rows.get(seq)?.row;
    for (const other of list.querySelectorAll(':scope > .event.picked')) {
      if (other === row) continue;
      other.classList.remove('picked');
      delete other.dataset.picked;
    }
    if (!row) return;
    row.classList.add('picked');
    row.dataset.picked = 'true';
    if (reveal) row.scrollIntoView({ block: 'nearest' });
  };

  return {
    update(model, filter, picked = { seq: null, reveal: false }) {
      const filterKey = `${filter.text}\u0000${filter.actor ?? ''}`;
      // Actor names can arrive after their first events (a systemId is set after the actor is announced).
      const redraw = drawnModel !== model || drawnFilter !== filterKey || drawnActorRevision !== model.actorRevision;
      if (redraw) {
        replaceChildren(list);
        rows.clear();
        drawn = 0;
        shown = 0;
        // Rows drawn from here read their replies as they are made.
        drawnReplies = model.replies.length;
        drawnModel = model;
        drawnFilter = filterKey;
        drawnActorRevision = model.actorRevision;
      }
      const stickToBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 40;
      // Newest first, and rows made only for the last MAX_ROWS: a redraw of a long run costs a screenful, not the run.
      const newest = [];
      let matched = 0;
      for (let i = model.events.length - 1; i >= drawn; i--) {
        const event = model.events[i];
        if (!matches(model, event, filter)) continue;
        matched += 1;
        if (newest.length < MAX_ROWS) newest.push(event);
      }
      drawn = model.events.length;
      shown += matched;
      // One fragment, not append(...rows): spreading a long array passes the engine's limit on arguments.
      const fragment = document.createDocumentFragment();
      for (const event of newest.toReversed()) {
        const row = eventRow(model, event);
        rows.set(event.seq, { row, event });
        fragment.append(row);
      }
      list.append(fragment);
      while (list.childElementCount > MAX_ROWS) {
        rows.delete(Number(list.firstElementChild.dataset.seq));
        list.firstElementChild.remove();
      }
      for (; drawnReplies < model.replies.length; drawnReplies++) {
        const drawnRow = rows.get(model.replies[drawnReplies].eventSeq);
        if (drawnRow) showOutcome(drawnRow.row.querySelector('.outcome'), outcomeOf(model, drawnRow.event));
      }
      if (shown === 0) replaceChildren(list, h('li', { class: 'empty' }, model.events.length === 0 ? 'No events yet.' : 'No event matches the filter.'));
      else list.querySelector(':scope > .empty')?.remove();
      counter.textContent = shown === model.events.length ? String(shown) : `${shown} of ${model.events.length}`;
      if (stickToBottom || redraw) list.scrollTop = list.scrollHeight;
      highlight(picked.seq, picked.reveal);
    },
  };
}
