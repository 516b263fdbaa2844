// The actors, as a tree by parent, each with its status and, for a
// machine, the state it is in and the states it went through.
import { actorTree } from './actorTree.js';
import { h, replaceChildren } from './dom.js';
import { actorName, stateValueText } from './model.js';

const MAX_TRAIL = 12;

function trail(actor) {
  const shown = actor.transitions.slice(-MAX_TRAIL);
  const hidden = actor.transitions.length - shown.length;
  return h(
    'ol',
    { class: 'trail', 'data-testid': 'actor-transitions' },
    hidden > 0 ? h('li', { class: 'trail-more' }, `${hidden} earlier`) : null,
    shown.map((step, i) =>
      h(
        'li',
        {
          class: `trail-step${i === shown.length - 1 ? ' current' : ''}`,
          'data-testid': 'actor-transition',
          title: step.eventType ? `after ${step.eventType}` : '',
        },
        stateValueText(step.value),
      ),
    ),
  );
}

function actorRow(model, { actor, depth, cycle }, { selected, onSelect, stateIds }) {
  const name = actorName(model, actor.sessionId);
  const isState = stateIds.has(actor.sessionId);
  const kind = isState ? 'state' : actor.logic;
  const current = stateValueText(actor.value);
  const timeline = model.states.get(actor.sessionId);
  return h(
    'li',
    {
      class: `actor${selected === actor.sessionId ? ' selected' : ''}`,
      style: `--depth: ${depth}`,
      'data-testid': 'actor',
      'data-session-id': actor.sessionId,
      'data-name': name,
      'data-status': actor.status,
      'data-logic': actor.logic,
      'data-cycle': cycle,
    },
    h(
      'button',
      {
        class: 'actor-head',
        type: 'button',
        title: `${actor.sessionId}${actor.machineId ? ` · machine ${actor.machineId}` : ''} · click to show only its events`,
        onclick: () => onSelect(actor.sessionId),
      },
      h('span', { class: `dot status-${actor.status}`, title: actor.status }),
      h('span', { class: 'actor-name' }, name),
      h('span', { class: `badge badge-${kind}` }, kind),
      actor.origin !== 'local' ? h('span', { class: 'badge badge-origin' }, actor.origin) : null,
      cycle ? h('span', { class: 'badge badge-cycle', title: 'its parents form a cycle: shown as a root' }, 'parent cycle') : null,
      timeline ? h('span', { class: 'badge badge-version' }, `v${timeline.versions.at(-1).version}`) : null,
      current ? h('span', { class: 'actor-value', 'data-testid': 'actor-value' }, current) : h('span', { class: 'actor-status' }, actor.status),
    ),
    actor.logic === 'machine' && actor.transitions.length > 1 ? trail(actor) : null,
  );
}

/** Renders the actor tree into `container`. */
export function renderActors(container, model, options) {
  const rows = actorTree(model).map((row) => actorRow(model, row, options));
  replaceChildren(container, rows.length > 0 ? rows : h('li', { class: 'empty' }, 'No actors yet. They appear here as the run creates them.'));
}
