// The route ledger's line (components/ledger.mjs, run by test_ledger_rule.py through
// `node --test`): the post's sum of routes, a negative route subtracted, a long ledger cut.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ledgerParts, ledgerText, num} from '../../components/ledger.mjs';

// routes as the server writes them: the product alone, as a later term, the cut route
const route = (value, term, path) => ({value, term, route: path});
const POST_A = [route('4', '+ 4', 'd→c→a'), route('7', '+ 7', 'd→a')];
const line = (key, size, total, limit, routes) =>
  ledgerText(ledgerParts(key, size, total, limit, j => routes[j]));

test('a node adds its routes as the post does', () => {
  assert.equal(line('a', 2, '11', 8, POST_A), 'a = 4 (d→c→a) + 7 (d→a) = 11');
  assert.equal(line('a', 1, '4', 8, POST_A), 'a = 4 (d→c→a) = 4');
});

test('a node with no route counted yet says so', () => {
  assert.equal(line('a', 0, '0', 8, []), 'a = 0 (no route yet)');
  assert.deepEqual(ledgerParts('a', 0, '0', 8, () => assert.fail('no route to read')).terms, []);
});

test('the first route is written as it is, a later one as a term: a negative one subtracted', () => {
  const b = [route('5.889e+4', '+ 5.889e+4', 'y→add4→neg2→b'),
             route('-4.402e+4', '- 4.402e+4', 'y→mul3→add3→b')];
  assert.equal(line('b', 2, '1.486e+4', 8, b),
               'b = 5.889e+4 (y→add4→neg2→b) - 4.402e+4 (y→mul3→add3→b) = 1.486e+4');
  const first = [route('-4', '- 4', 'y→x')];
  assert.equal(line('x', 1, '-4', 8, first), 'x = -4 (y→x) = -4');
});

test('a ledger longer than its limit writes the first routes and counts the rest', () => {
  const many = Array.from({length: 1234}, (_, j) => route(`${j}`, `+ ${j}`, 'y→x'));
  const parts = ledgerParts('x', 1234, '9', 3, j => many[j]);
  assert.deepEqual(parts.terms.map(t => [t.number, t.index]), [['0', 0], ['+ 1', 1], ['+ 2', 2]]);
  assert.equal(parts.more, '+ … 1,231 more');
  assert.equal(ledgerText(parts), 'x = 0 (y→x) + 1 (y→x) + 2 (y→x) + … 1,231 more = 9');
  assert.equal(ledgerParts('x', 3, '3', 3, j => many[j]).more, '');  // exactly the limit
});

test('a count is written with thousands separated', () => {
  assert.equal(num(1234567), '1,234,567');
  assert.equal(num(7), '7');
});
