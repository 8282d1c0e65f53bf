// The route ledger's line as the page picks it (components/ledger.mjs, run by
// test_ledger_rule.py through `node --test`): the server writes each line's number and route
// and the words (autodiff/trace/ledger.py, tested in tests/engine/test_ledger_line.py); the page
// takes a node's first lines, counts the rest and fills the words.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {ledgerParts, num} from '../../components/ledger.mjs';

// the words and lines as the server sends them (LINE_WORDS, replay.py's line numbers)
const WORDS = {head: '{key} =', empty: '{key} = 0', more: '+ … {n} more'};
const line = (number, path) => ({number, route: path});
const POST_A = [line('4', 'd→c→a'), line('+ 7', 'd→a')];
// the parts read as stepper.js draws them in a row
const text = parts => parts.none ? parts.head : [
  parts.head, ...parts.terms.map(t => `${t.number} (${t.route})`),
  ...(parts.more ? [parts.more] : []), '=', parts.total].join(' ');
const drawn = (key, size, total, limit, lines) =>
  text(ledgerParts(key, size, total, limit, j => lines[j], WORDS));

test('a node adds its routes as the post does', () => {
  assert.equal(drawn('a', 2, '11', 8, POST_A), 'a = 4 (d→c→a) + 7 (d→a) = 11');
  assert.equal(drawn('a', 1, '4', 8, POST_A), 'a = 4 (d→c→a) = 4');
});

test('a node with no route counted yet reads no line', () => {
  const parts = ledgerParts('a', 0, '0', 8, () => assert.fail('no line to read'), WORDS);
  assert.equal(parts.head, 'a = 0');
  assert.ok(parts.none);
  assert.deepEqual(parts.terms, []);
});

test('each line is drawn with the number the server wrote: a negative one subtracted', () => {
  const b = [line('5.889e+4', 'y→add4→neg2→b'), line('- 4.402e+4', 'y→mul3→add3→b')];
  assert.equal(drawn('b', 2, '1.486e+4', 8, b),
               'b = 5.889e+4 (y→add4→neg2→b) - 4.402e+4 (y→mul3→add3→b) = 1.486e+4');
  assert.equal(drawn('x', 1, '-4', 8, [line('-4', 'y→x')]), 'x = -4 (y→x) = -4');
});

test('a ledger longer than its limit draws the first lines and counts the rest', () => {
  const many = Array.from({length: 1234}, (_, j) => line(j ? `+ ${j}` : '0', 'y→x'));
  const parts = ledgerParts('x', 1234, '9', 3, j => many[j], WORDS);
  assert.deepEqual(parts.terms.map(t => [t.number, t.index]), [['0', 0], ['+ 1', 1], ['+ 2', 2]]);
  assert.equal(parts.more, '+ … 1,231 more');
  assert.equal(text(parts), 'x = 0 (y→x) + 1 (y→x) + 2 (y→x) + … 1,231 more = 9');
  assert.equal(ledgerParts('x', 3, '3', 3, j => many[j], WORDS).more, '');  // exactly the limit
});

test('a count is written with thousands separated', () => {
  assert.equal(num(1234567), '1,234,567');
  assert.equal(num(7), '7');
});
