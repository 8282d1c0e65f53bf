// What a step changes (components/step_changes.mjs, run by test_step_changes_rule.py through
// `node --test`): the styles restyled between two steps, whichever way the page moved.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {changedEntries, edgeStatuses, routeNodes} from '../../components/step_changes.mjs';

// the post's first example, d = a * (a + b): nodes a 0, b 1, c 2, d 3; one edge per pair
const EDGES = new Map([['3>0', ['d>a#1']], ['3>2', ['d>c#0']], ['2>0', ['c>a#0']],
                       ['2>1', ['c>b#1']]]);
// its cells as the replay sends them: 0 the output d, then what each pop pushed
const CELLS = {node: [3, 0, 2, 0, 1], parent: [-1, 0, 0, 2, 2]};

test('a route is read from the output down, parent by parent', () => {
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 3), [3, 2, 0]);  // d→c→a
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 1), [3, 0]);  // d→a
  assert.deepEqual(routeNodes(CELLS.node, CELLS.parent, 0), [3]);
});

test('the popped route is drawn thick and what its pop pushed dashed', () => {
  // step 3 pops (a, 4) along d→c→a and pushes nothing
  assert.deepEqual([...edgeStatuses([3, 2, 0], 0, [], EDGES)],
                   [['d>c#0', 'route'], ['c>a#0', 'route']]);
  // step 1 pops c along d→c and pushes a and b: the route edge and two pushed edges
  assert.deepEqual([...edgeStatuses([3, 2], 2, [0, 1], EDGES)],
                   [['d>c#0', 'route'], ['c>a#0', 'pushed'], ['c>b#1', 'pushed']]);
  // step 0: the output pushes its pairs; no route yet
  assert.deepEqual([...edgeStatuses([], 3, [0, 2], EDGES)],
                   [['d>a#1', 'pushed'], ['d>c#0', 'pushed']]);
});

test('an edge on the route and pushed again stays a route edge', () => {
  const loop = new Map([['1>0', ['y>x#0', 'y>x#1']]]);  // y = x * x: two edges, one pair
  assert.deepEqual([...edgeStatuses([1, 0], 1, [0], loop)],
                   [['y>x#0', 'route'], ['y>x#1', 'route']]);
  assert.deepEqual([...edgeStatuses([1], 1, [0, 0], loop)],
                   [['y>x#0', 'pushed'], ['y>x#1', 'pushed']]);
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
