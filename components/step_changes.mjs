// What a step changes on the page: pure rules that node checks on their own
// (tests/components/step_changes.test.mjs). stepper.py puts this file before stepper.js, as
// it does keys.mjs: a component's script is one string with no imports.
//
// A step restyles only what differs from the step drawn before it, whichever way the user
// moved (one step on, one back, Home, End, the slider): the drawn styles are compared with the
// new step's, never assumed to be one step on.

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

// The status of every edge that is not plain at a step: 'route' for the edges along the
// popped entry's route (a route of one node has none), else 'pushed' for the edges from the
// popped node (the output at step 0) to the nodes it pushed. ``idsOf`` maps 'from>to' (node
// indices) to the ids of the edges between them (x*x has two). Returns a Map id -> status.
export function edgeStatuses(path, from, pushedNodes, idsOf) {
  const statuses = new Map();
  const mark = (pair, status) => {
    for (const id of idsOf.get(pair) || []) if (!statuses.has(id)) statuses.set(id, status);
  };
  for (let j = 1; j < path.length; j++) mark(path[j - 1] + '>' + path[j], 'route');
  for (const to of pushedNodes) mark(from + '>' + to, 'pushed');
  return statuses;
}
