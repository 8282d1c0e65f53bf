// Predict mode's rules (components/quiz.mjs, run by test_quiz_rule.py through `node --test`).
// The questions are the server's for the post's first example, d = a * (a + b), as replay.py
// sends them (test_replay.py checks that the server still sends these).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {asksFirst, choiceVerdict, parseAnswer, revealText, verdict} from '../../components/quiz.mjs';

// step 1, d→c: the route value 4 (the parent's 1 × ∂d/∂c = 4)
const ROUTE = {step: 1, prompt: "Pop along d→c: what is the route value of c's entry?",
               right: '4', low: 3.9995, high: 4.0005,
               choices: [['1', 'local'], ['4', 'right'], ['-4', 'sign'], ['5', 'added']],
               mistakes: [['local', 0.9995, 1.0005], ['sign', -4.0005, -3.9995],
                          ['added', 4.999499, 5.000501]],
               why: "the parent's value 1 × the local derivative 4 = 4"};
// step 4, d→a: a's second route, its gradient 4 + 7 = 11
const MEET = {step: 4, prompt: 'Pop along d→a: a already has gradient 4. What is its gradient after this pop?',
              right: '11', low: 10.995, high: 11.005,
              choices: [['11', 'right'], ['7', 'overwrite'], ['5', 'local'], ['-3', 'sign']],
              mistakes: [['overwrite', 6.999299, 7.000701], ['local', 4.999499, 5.000501],
                         ['sign', -3.0005, -2.9995], ['added', 11.995, 12.005]],
              why: "what a had, 4, + this route's value 7 = 11"};
const NAMES = {local: ['forgot the local derivative', 'each edge multiplies the route value by its local derivative'],
               overwrite: ['overwrote instead of adding', "a node's gradient is the sum over all its routes"],
               sign: ['lost the sign', 'a negative local derivative flips the sign'],
               added: ['added instead of multiplying', 'the chain rule multiplies']};

test('a typed answer is read as the page writes numbers, and as keyboards give them', () => {
  assert.equal(parseAnswer('4'), 4);
  assert.equal(parseAnswer(' -5.889e+4 '), -58890);
  assert.equal(parseAnswer('\u22123'), -3);  // the page's minus sign
  assert.equal(parseAnswer('1,5'), 1.5);
  assert.equal(parseAnswer('.5'), 0.5);
  for (const bad of ['', 'four', '4 5', '1,5.2', 'NaN', 'Infinity', '1e999', '--1']) {
    assert.equal(parseAnswer(bad), null, bad);
  }
});

test('the right number, within its interval, is right', () => {
  assert.deepEqual(verdict(ROUTE, 4), {right: true, mistake: ''});
  assert.deepEqual(verdict(ROUTE, 4.0004), {right: true, mistake: ''});
  assert.deepEqual(verdict(MEET, 11), {right: true, mistake: ''});
});

test('a classic mistake is named; any other number is plainly wrong', () => {
  assert.deepEqual(verdict(ROUTE, 1), {right: false, mistake: 'local'});
  assert.deepEqual(verdict(MEET, 7), {right: false, mistake: 'overwrite'});
  assert.deepEqual(verdict(MEET, 5), {right: false, mistake: 'local'});
  assert.deepEqual(verdict(MEET, 12), {right: false, mistake: 'added'});
  assert.deepEqual(verdict(MEET, 100), {right: false, mistake: ''});
  assert.deepEqual(verdict(ROUTE, 4.001), {right: false, mistake: ''});  // outside 4's interval
});

test('a choice is what it was made as', () => {
  assert.deepEqual(choiceVerdict(MEET, 0), {right: true, mistake: ''});
  assert.deepEqual(choiceVerdict(MEET, 1), {right: false, mistake: 'overwrite'});
  assert.deepEqual(choiceVerdict(ROUTE, 2), {right: false, mistake: 'sign'});
});

test('the reveal says right or wrong, the answer, the mistake and why', () => {
  assert.equal(revealText(ROUTE, {right: true, mistake: ''}, NAMES),
               "Right: the parent's value 1 × the local derivative 4 = 4.");
  assert.equal(revealText(MEET, {right: false, mistake: 'overwrite'}, NAMES),
               "Not quite: that overwrote instead of adding. The answer is 11: a node's gradient " +
               "is the sum over all its routes; what a had, 4, + this route's value 7 = 11.");
  assert.equal(revealText(MEET, {right: false, mistake: ''}, NAMES),
               "Not quite. The answer is 11: what a had, 4, + this route's value 7 = 11.");
});

test('predict mode asks before one step forward onto an unanswered question', () => {
  const none = new Set(), done = new Set([4]);
  assert.equal(asksFirst(true, 3, 4, MEET, none), true);
  assert.equal(asksFirst(true, 3, 4, MEET, done), false);  // answered: it is shown
  assert.equal(asksFirst(false, 3, 4, MEET, none), false);  // watching
  assert.equal(asksFirst(true, 0, 4, MEET, none), false);  // End, a jump: no question
  assert.equal(asksFirst(true, 5, 4, MEET, none), false);  // back
  assert.equal(asksFirst(true, 3, 4, undefined, none), false);  // a step that asks nothing
});
