// The Steps tab's rows (components/step_list.mjs, run by test_step_list_rule.py through
// `node --test`). The store is the one the page replays for the post's first example,
// d = a * (a + b), as replay.py sends it (test_step_list_rule.py checks it still does).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {LISTED_STEPS, listedSteps, stepRow} from '../../components/step_list.mjs';
import {upper} from '../../components/step_changes.mjs';

// nodes a, b, c, d (the output); MARKS' completeness by code, as view_model.MARKS orders them
const BASE = {output: 3, one: 3, keys: ['a', 'b', 'c', 'd'],
              marks: [false, true, false, false, true, false, false].map(complete => ({complete}))};
const STORE = {
  pop: [-1, 2, 4, 3, 1],
  cellNode: [3, 0, 2, 0, 1], cellValue: ['1', '7', '4', '4', '4'],
  cellRoute: ['d', 'd→a', 'd→c', 'd→c→a', 'd→c→b'],
  lineStep: [[3, 4], [2], [1], []], lineTotal: [['4', '11'], ['4'], ['4'], []],
  markStep: [[0, 1, 3, 4], [0, 1, 2, 3], [0, 1, 2], [0]],
  markCode: [[2, 3, 0, 1], [6, 2, 1, 4], [2, 1, 4], [4]],
};

test('each step: the node popped, its route and value, its gradient after the step', () => {
  const rows = [0, 1, 2, 3, 4].map(j => stepRow(j, BASE, STORE, upper));
  assert.deepEqual(rows, [
    {step: 0, node: 'd', route: 'd', value: '1', gradient: '1', done: true},
    {step: 1, node: 'c', route: 'd→c', value: '4', gradient: '4', done: true},
    {step: 2, node: 'b', route: 'd→c→b', value: '4', gradient: '4', done: true},
    // a's first route: its gradient is 4 so far, not final (a second route is on the stack)
    {step: 3, node: 'a', route: 'd→c→a', value: '4', gradient: '4', done: false},
    {step: 4, node: 'a', route: 'd→a', value: '7', gradient: '11', done: true},
  ]);
});

test('the list holds the current step and the ones before it, at most LISTED_STEPS', () => {
  assert.deepEqual(listedSteps(0), {from: 0, to: 0});
  assert.deepEqual(listedSteps(4), {from: 0, to: 4});
  assert.deepEqual(listedSteps(LISTED_STEPS - 1), {from: 0, to: LISTED_STEPS - 1});
  assert.deepEqual(listedSteps(100), {from: 100 - LISTED_STEPS + 1, to: 100});
  assert.deepEqual(listedSteps(5, 3), {from: 3, to: 5});
});

test('in forward mode a node\'s tangent starts again with each pass, and no node stays at 1', () => {
  // post 1 forward: step 1 seeds a (pass 1), 2 visits c, 3 visits d (11); step 4 seeds b
  // (pass 2), 5 visits c, 6 visits d (4). Node 3 is d, the output; its lines at steps 3 and 6.
  const base = {keys: ['a', 'b', 'c', 'd'], output: 3, one: -1, passes: [1, 4],
                marks: [{complete: false}, {complete: true}]};
  const store = {pop: [-1, 0, 1, 2, 3, 4, 5], cellNode: [0, 2, 3, 1, 2, 3],
                 cellRoute: ['seeded', 'c', 'd', 'seeded', 'c', 'd'],
                 cellValue: ['1', '1', '11', '1', '1', '4'],
                 lineStep: [[1], [4], [2, 5], [3, 6]], lineTotal: [['1'], ['1'], ['1', '1'], ['11', '4']],
                 markStep: [[0], [0], [0], [0, 3, 4, 6]], markCode: [[0], [0], [0], [0, 1, 0, 1]]};
  const row = j => stepRow(j, base, store, upper);
  assert.deepEqual([row(3).node, row(3).value, row(3).gradient, row(3).done], ['d', '11', '11', true]);
  assert.deepEqual([row(6).node, row(6).gradient], ['d', '4']);
  assert.equal(row(0).gradient, '0');  // nothing visited yet: the output is not 1 here
});
