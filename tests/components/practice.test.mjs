// Practice mode's rules (components/practice.mjs, run by test_practice_rule.py through
// `node --test`). In the page quiz.mjs and practice.mjs are one script (stepper.py joins
// them): practice.mjs marks numbers with quiz.mjs's verdict. Here quiz.mjs's functions are put
// where the joined script has them, then practice.mjs is loaded. The task is the server's for
// the post's first example, d = a * (a + b), at its last pop (test_practice_rule.py checks it).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import * as quiz from '../../components/quiz.mjs';

Object.assign(globalThis, quiz);
const {askedText, entriesVerdict, hidesValues, markTask, pushCandidates, pushedText, revealLines, scoreText,
       scored, skippedLines, workedNote} = await import('../../components/practice.mjs');

// step 4, d→a: a's second route: route value 7, a's gradient 4 + 7 = 11, a pushes nothing
const LAST = {step: 4, asks: ['route', 'gradient', 'pushed'], node: 'a', route: 'd→a',
              parts: {route: {step: 4, right: '7', low: 6.999299, high: 7.000701,
                              mistakes: [['local', 0.9995, 1.0005], ['sign', -7.000701, -6.999299],
                                         ['added', 7.999199, 8.000801]],
                              why: "the parent's value 1 × the local derivative 7 = 7"},
                      gradient: {step: 4, right: '11', low: 10.995, high: 11.005,
                                 mistakes: [['overwrite', 6.999299, 7.000701],
                                            ['local', 4.999499, 5.000501],
                                            ['sign', -3.0005, -2.9995], ['added', 11.995, 12.005]],
                                 why: "what a had, 4, + this route's value 7 = 11"}},
              pushed: [], hint: '∂d/∂a = 7'};
// step 1 of the same example, asked in full: the pop of c pushes a (4) and b (4)
const POP_C = {...LAST, step: 1, node: 'c', route: 'd→c', pushed: [['a', '4'], ['b', '4']]};
const NAMES = {local: ['forgot the local derivative', 'each edge multiplies'],
               overwrite: ['overwrote instead of adding', "a node's gradient is the sum over all its routes"],
               sign: ['lost the sign', 'a negative local derivative flips the sign'],
               added: ['added instead of multiplying', 'the chain rule multiplies']};

test('every part right is marked right, as the page reads numbers', () => {
  assert.deepEqual(markTask(LAST, {route: '7', gradient: ' 11,0 ', pushed: []}).marks,
                   {route: {right: true, mistake: ''}, gradient: {right: true, mistake: ''},
                    pushed: {right: true, mistake: ''}});
});

test('a wrong number is wrong and its classic mistake named, by predict mode\'s rule', () => {
  const {marks} = markTask(LAST, {route: '1', gradient: '7', pushed: ['b']});
  assert.deepEqual(marks, {route: {right: false, mistake: 'local'},
                           gradient: {right: false, mistake: 'overwrite'},
                           pushed: {right: false, mistake: ''}});
  const lines = revealLines(LAST, marks, NAMES);
  assert.equal(lines[0], "✗ Route value: Not quite: that forgot the local derivative. The answer is 7: " +
                         "each edge multiplies; the parent's value 1 × the local derivative 7 = 7.");
  assert.ok(lines[1].startsWith('✗ Gradient: Not quite: that overwrote instead of adding. The answer is 11'));
  assert.equal(lines[2], '✗ Pushed: not quite, the pop pushes nothing: a is an input, its routes end here.');
});

test('only the parts asked are marked; an unreadable number is asked for again', () => {
  const routeOnly = {...LAST, asks: ['route']};
  assert.deepEqual(markTask(routeOnly, {route: '7', gradient: 'junk'}).marks,
                   {route: {right: true, mistake: ''}});
  assert.deepEqual(markTask(LAST, {route: '7', gradient: ''}), {missing: 'gradient'});
  assert.deepEqual(markTask(LAST, {route: 'seven', gradient: '11'}), {missing: 'route'});
  assert.equal(revealLines(routeOnly, {route: {right: true, mistake: ''}}, NAMES)[0],
               "✓ Route value: Right: the parent's value 1 × the local derivative 7 = 7.");
});

test('the pushed entries are the nodes the pop pushes, in any order, a node used twice ticked once', () => {
  assert.ok(entriesVerdict([['a', '4'], ['b', '4']], ['b', 'a']).right);
  assert.ok(!entriesVerdict([['a', '4'], ['b', '4']], ['a']).right);
  assert.ok(!entriesVerdict([['a', '4'], ['b', '4']], ['a', 'b', 'c']).right);
  assert.ok(entriesVerdict([['x', '3'], ['x', '3']], ['x']).right);  // x * x pushes x twice
  assert.ok(entriesVerdict([], []).right && !entriesVerdict([], ['a']).right);
  assert.equal(pushedText(POP_C), 'a (4), b (4): one entry per input of c, its route value the ' +
                                  "route's × the edge's local derivative");
  assert.deepEqual(pushCandidates(['a', 'b', 'c', 'd'], 3), ['a', 'b', 'c']);
});

test('the score counts every part; a skip gives the answers and counts nothing', () => {
  let score = {right: 0, asked: 0};
  score = scored(score, markTask(LAST, {route: '7', gradient: '7', pushed: []}).marks);
  assert.deepEqual(score, {right: 2, asked: 3});
  assert.equal(scoreText(score), 'Score: 2 of 3 parts right');
  assert.equal(scoreText({right: 0, asked: 0}), '');
  assert.deepEqual(skippedLines({...LAST, asks: ['route']}),
                   ['Skipped.', "Route value: 7: the parent's value 1 × the local derivative 7 = 7."]);
});

test('practising, the stack hides its values from the step before the first that asks', () => {
  assert.equal(workedNote('c', 'y→d→c'), 'Worked: c popped along y→d→c. The entries it pushed are ' +
                                         'yours to work out: → asks.');
  assert.ok(!hidesValues(true, 3, 1) && hidesValues(true, 3, 2) && hidesValues(true, 3, 4));
  assert.ok(!hidesValues(false, 3, 2) && !hidesValues(true, undefined, 2));
});

test('the question says which parts the pop asks', () => {
  assert.equal(askedText(LAST), "Pop along d→a: work out its route value, a's gradient after it " +
                                'and the entries it pushes.');
  assert.equal(askedText({...LAST, asks: ['route']}), 'Pop along d→a: work out its route value.');
});
