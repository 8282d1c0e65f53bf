// The Steps tab: the steps so far as a list of text, the canvas's text alternative (WCAG
// 1.1.1): for each step, the node popped (or visited), its route, the route's value and the
// node's gradient after it. Read from the replayed store like every other panel (nothing is
// computed), so the list and the graph always show the same step. Pure, so node checks it
// (tests/components/step_list.test.mjs); stepper.py puts this file before stepper.js.

export const LISTED_STEPS = 12;  // the current step and the ones before it: a screen's worth

// The steps listed at step k: [from, k], at most `size` of them, the current one last.
export function listedSteps(k, size = LISTED_STEPS) {
  return {from: Math.max(0, k - size + 1), to: k};
}

// Step j's row. `base` and `store` are the payload and the replayed store (stepper.js:
// newStore): a step's popped cell (-1 at step 0, where the output starts with gradient 1),
// each cell's node, value and route, each node's ledger lines and marks by step. `upper`
// (step_changes.mjs) counts a node's entries at or before j.
// In forward mode (``base.passes``: each pass's first step) a node's lines start again with
// each pass, and no node's value is 1 throughout (``base.one`` is -1).
export function stepRow(j, base, store, upper) {
  const cell = store.pop[j];
  const node = cell >= 0 ? store.cellNode[cell] : base.output;
  const passes = base.passes || [], pass = upper(passes, j), since = pass ? passes[pass - 1] : 0;
  const first = since ? upper(store.lineStep[node], since - 1) : 0;
  const lines = upper(store.lineStep[node], j);
  const gradient = node === base.one ? '1' : lines > first ? store.lineTotal[node][lines - 1] : '0';
  const marked = upper(store.markStep[node], j);
  const done = marked > 0 && base.marks[store.markCode[node][marked - 1]].complete;
  return {step: j, node: base.keys[node],
          route: cell >= 0 ? store.cellRoute[cell] : base.keys[node],
          value: cell >= 0 ? store.cellValue[cell] : '1', gradient, done: Boolean(done)};
}
