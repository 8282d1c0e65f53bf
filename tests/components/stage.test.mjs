// The graph's box on a phone and whether the graph moves (components/stage.mjs, run by
// test_stage_rule.py through `node --test`).
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {NARROW_MIN_PX, NARROW_SHARE, graphMoves, narrowHeight} from '../../components/stage.mjs';

// a phone: 390×844, the graph's box 354 px wide; zoom at least 1 (14 px text), at most 1.6
const PHONE = {width: 354, windowHeight: 844, margin: 16, minScale: 1, maxScale: 1.6};
const TALLEST = Math.floor(844 * NARROW_SHARE);

test('a graph readable whole gets a box as tall as it is drawn at its width, no empty band', () => {
  // 322 px of width for 230 vis units: zoom 1.4, so 150 units are 210 px, plus the margins
  assert.equal(narrowHeight({...PHONE, graph: {w: 230, h: 150}}), Math.ceil(150 * 322 / 230 + 32));
  // the post's first example was a 521 px box for a graph 232 px tall
  assert.ok(narrowHeight({...PHONE, graph: {w: 320, h: 200}}) < 300);
});

test('a small graph is not blown up past the largest zoom, nor its box below the least', () => {
  assert.equal(narrowHeight({...PHONE, graph: {w: 40, h: 150}}), Math.ceil(150 * 1.6 + 32));
  assert.equal(narrowHeight({...PHONE, graph: {w: 100, h: 20}}), NARROW_MIN_PX);
});

test('a tall graph, or one too small to read whole (followed), gets the tallest box', () => {
  assert.equal(narrowHeight({...PHONE, graph: {w: 300, h: 2000}}), TALLEST);
  assert.equal(narrowHeight({...PHONE, graph: {w: 900, h: 300}}), TALLEST);  // zoom 0.36 < 1
  assert.equal(narrowHeight({...PHONE, graph: null}), TALLEST);  // not drawn yet
  assert.equal(narrowHeight({...PHONE, windowHeight: 300, graph: null}), NARROW_MIN_PX);
});

test('the wheel and a swipe scroll the page on a phone or a touch screen until chosen', () => {
  assert.equal(graphMoves(undefined, {narrow: false, touch: false}), true);
  assert.equal(graphMoves(undefined, {narrow: true, touch: false}), false);
  assert.equal(graphMoves(undefined, {narrow: false, touch: true}), false);
  assert.equal(graphMoves(true, {narrow: true, touch: true}), true);
  assert.equal(graphMoves(false, {narrow: false, touch: false}), false);
});
