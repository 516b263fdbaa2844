// The events between actors, in the order they were delivered: who sent
// what to whom. New events are appended; a filter change redraws.
import { h, replaceChildren } from './dom.js';
import { brief, clockTime, pretty, sinceStart } from './format.js';
import { actorName } from './model.js';

/** Beyond this many rows the oldest are left out of the page (the recording keeps them all). */
const MAX_ROWS = 3000;

function payload(event) {
  const { type: _type, ...rest } = event.event ?? {};
  return Object.keys(rest).length === 0 ? '' : brief(rest, 160);
}

function matches(model, event, { text, actor }) {
  if (actor && event.sourceId !== actor && event.targetId !== actor) return false;
  if (!text) return true;
  const haystack = `${event.type} ${actorName(model, event.sourceId)} ${actorName(model, event.targetId)}`.toLowerCase();
  return haystack.includes(text);
}

function eventRow(model, event) {
  const internal = event.type.startsWith('xstate.');
  const details = h('pre', { class: 'event-details', hidden: true }, `${clockTime(event.at)} (${sinceStart(event.at, model.startedAt)})\n${pretty(event.event)}`);
  const from = event.sourceId === null ? 'outside' : actorName(model, event.sourceId);
  return h(
    'li',
    {
      class: `event${internal ? ' internal' : ''}`,
      'data-testid': 'event',
      'data-type': event.type,
      'data-source': from,
      'data-target': actorName(model, event.targetId),
    },
    h(
      'button',
      { type: 'button', class: 'event-head', title: `${sinceStart(event.at, model.startedAt)} · click for the whole event`, onclick: () => (details.hidden = !details.hidden) },
      h('span', { class: 'seq' }, `#${event.seq}`),
      h('span', { class: `from${event.sourceId === null ? ' outside' : ''}` }, from),
      h('span', { class: 'arrow' }, '→'),
      h('span', { class: 'to' }, actorName(model, event.targetId)),
      h('span', { class: 'type' }, event.type),
      h('span', { class: 'summary' }, payload(event)),
    ),
    details,
  );
}

/** The events list; `update` appends what is new, or redraws when the model or the filter changed. */
export function createEventsView(list, counter) {
  let drawnModel = null;
  let drawnFilter = '';
  let drawnActorRevision = -1;
  let drawn = 0;
  let shown = 0;

  return {
    update(model, filter) {
      const filterKey = `${filter.text}\u0000${filter.actor ?? ''}`;
      // Actor names can arrive after their first events (a systemId is set after the actor is announced).
      const redraw = drawnModel !== model || drawnFilter !== filterKey || drawnActorRevision !== model.actorRevision;
      if (redraw) {
        replaceChildren(list);
        drawn = 0;
        shown = 0;
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
      const rows = document.createDocumentFragment();
      for (const event of newest.toReversed()) rows.append(eventRow(model, event));
      list.append(rows);
      while (list.childElementCount > MAX_ROWS) list.firstElementChild.remove();
      if (shown === 0) replaceChildren(list, h('li', { class: 'empty' }, model.events.length === 0 ? 'No events yet.' : 'No event matches the filter.'));
      else list.querySelector(':scope > .empty')?.remove();
      counter.textContent = shown === model.events.length ? String(shown) : `${shown} of ${model.events.length}`;
      if (stickToBottom || redraw) list.scrollTop = list.scrollHeight;
    },
  };
}
