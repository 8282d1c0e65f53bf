// What a step changes on the page: pure rules that node checks on their own
// (tests/components/step_changes.test.mjs). stepper.py puts this file before stepper.js, as
// it does keys.mjs: a component's script is one string with no imports.
//
// A step restyles only what differs from the step drawn before it, whichever way the user
// moved (one step on, one back, Home, End, the slider): the drawn styles are compared with the
// new step's, never assumed to be one step on. What a node or an edge shows is decided by the
// server (view_model.node_mark, view_model.edge_states) and sent when it changes; the page
// reads the last one at or before the step.

// The entries of ``next`` whose value differs from ``drawn``'s, and every key of ``drawn``
// missing from ``next`` with the value ``otherwise`` (both Maps; ``next`` holds only what is
// not ``otherwise``, e.g. the edges on a route or just pushed, not the plain ones).
// Returns [key, value] pairs, the changes that turn what is drawn into ``next``.
export function changedEntries(drawn, next, otherwise) {
  const changes = [];
  for (const [key, value] of next) if (drawn.get(key) !== value) changes.push([key, value]);
  for (const key of drawn.keys()) if (!next.has(key)) changes.push([key, otherwise]);
  return changes;
}

// The nodes a cell's route passes, from the output (or the visited node) down to the cell's
// own: parents are followed up (``parent[c]`` is -1 at the top), ``node[c]`` names each.
export function routeNodes(node, parent, cell) {
  const nodes = [];
  for (let c = cell; c >= 0; c = parent[c]) nodes.push(node[c]);
  return nodes.reverse();
}

// How many entries of an ascending list are <= k (a binary search).
export function upper(sorted, k) {
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] <= k) lo = mid + 1; else hi = mid; }
  return lo;
}

// The edges that are not plain at step k, as the server decided them (view_model.edge_states;
// replay.py sends an edge's state whenever it changes): each edge's last change at or before
// k. ``steps[e]`` and ``codes[e]`` are edge e's changes (steps ascending), for each edge e in
// ``changed``; ``ids[e]`` its vis id, ``names[code]`` a state's name. Returns a Map id -> state.
export function edgeStatesAt(changed, steps, codes, ids, names, k) {
  const states = new Map();
  for (const e of changed) {
    const at = upper(steps[e], k) - 1;
    if (at >= 0 && names[codes[e][at]] !== 'plain') states.set(ids[e], names[codes[e][at]]);
  }
  return states;
}
