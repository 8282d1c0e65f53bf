// What a step changes (components/step_changes.mjs, run by test_step_changes_rule.py through
// `node --test`): the styles restyled between two steps, whichever way the page moved.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {changedEntries, edgeStatesAt, routeNodes, upper} from '../../components/step_changes.mjs';

// the post's first example, d = a * (a + b): nodes a 0, b 1, c 2, d 3
// its cells as the replay sends them: 0 the output d, then what each pop pushed
const CELLS = {node: [3, 0, 2, 0, 1], parent: [-1, 0, 0, 2, 2]};

test('a route is read from the output down, parent by parent', () => {
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 3), [3, 2, 0]);  // d→c→a
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 1), [3, 0]);  // d→a
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 0), [3]);
});

test('upper counts the entries of an ascending list up to k', () => {
  assert.equal(upper([], 3), 0);
  assert.equal(upper([0, 1, 1, 4], 0), 1);
  assert.equal(upper([0, 1, 1, 4], 1), 3);
  assert.equal(upper([0, 1, 1, 4], 3), 3);
  assert.equal(upper([0, 1, 1, 4], 9), 4);
});

// its edges as the base payload numbers them, and the edge states replay.py sends for its
// route stack (view_model.edge_states decides them): [step, edge, state code] per change
const IDS = ['c>a#0', 'c>b#1', 'd>a#0', 'd>c#1'];
const NAMES = ['route', 'pushed', 'plain'];
const CHANGES = [[0, 2, 1], [0, 3, 1], [1, 0, 1], [1, 1, 1], [1, 2, 2], [1, 3, 0], [2, 0, 2],
                 [2, 1, 0], [3, 0, 0], [3, 1, 2], [4, 0, 2], [4, 2, 0], [4, 3, 2]];

function edgeStore(changes) {
  const steps = IDS.map(() => []), codes = IDS.map(() => []), changed = new Set();
  for (const [step, e, code] of changes) { steps[e].push(step); codes[e].push(code); changed.add(e); }
  return {steps, codes, changed};
}

test('an edge shows the state last sent for it at or before the step', () => {
  const {steps, codes, changed} = edgeStore(CHANGES);
  const at = k => Object.fromEntries(edgeStatesAt(changed, steps, codes, IDS, NAMES, k));
  assert.deepEqual(at(0), {'d>a#0': 'pushed', 'd>c#1': 'pushed'});
  assert.deepEqual(at(1), {'c>a#0': 'pushed', 'c>b#1': 'pushed', 'd>c#1': 'route'});
  assert.deepEqual(at(2), {'c>b#1': 'route', 'd>c#1': 'route'});
  assert.deepEqual(at(3), {'c>a#0': 'route', 'd>c#1': 'route'});
  assert.deepEqual(at(4), {'d>a#0': 'route'});
  assert.deepEqual(at(99), at(4));  // past the last change: the last states
});

test('a jump reads the same states as stepping there one by one', () => {
  const {steps, codes, changed} = edgeStore(CHANGES);
  const once = edgeStatesAt(changed, steps, codes, IDS, NAMES, 3);
  const before = edgeStore(CHANGES.filter(([step]) => step <= 3));
  assert.deepEqual(edgeStatesAt(before.changed, before.steps, before.codes, IDS, NAMES, 3), once);
  // an edge sent no state is plain, and so is one whose last state was plain
  assert.deepEqual(edgeStatesAt(new Set(), IDS.map(() => []), IDS.map(() => []), IDS, NAMES, 2),
                   new Map());
});

test('a step restyles only what differs from the step drawn, one step on', () => {
  const step1 = new Map([['d>c#0', 'route'], ['c>a#0', 'pushed'], ['c>b#1', 'pushed']]);
  const step2 = new Map([['d>c#0', 'route'], ['c>b#1', 'route']]);
  assert.deepEqual(changedEntries(step1, step2, 'plain'),
                   [['c>b#1', 'route'], ['c>a#0', 'plain']]);
  assert.deepEqual(changedEntries(step2, step2, 'plain'), []);
});

test('going back, Home and End restore every style the step drawn had changed', () => {
  const start = new Map([['d>a#1', 'pushed'], ['d>c#0', 'pushed']]);
  const end = new Map([['d>c#0', 'route'], ['c>b#1', 'route']]);
  // End from step 0, then Home: each jump turns the one drawing into the other exactly
  const toEnd = changedEntries(start, end, 'plain');
  assert.deepEqual(toEnd, [['d>c#0', 'route'], ['c>b#1', 'route'], ['d>a#1', 'plain']]);
  const toStart = changedEntries(end, start, 'plain');
  assert.deepEqual(toStart, [['d>a#1', 'pushed'], ['d>c#0', 'pushed'], ['c>b#1', 'plain']]);
  // applying the changes to what is drawn gives the new step's styles, plain ones dropped
  const apply = (drawn, changes) => {
    const out = new Map(drawn);
    for (const [key, value] of changes) if (value === 'plain') out.delete(key); else out.set(key, value);
    return out;
  };
  assert.deepEqual(apply(start, toEnd), end);
  assert.deepEqual(apply(end, toStart), start);
});
