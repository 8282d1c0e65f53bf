// The first visit's tour (components/tour.mjs, run by test_tour_rule.py through `node --test`):
// its notes, when it opens by itself, what a key does, where a note goes. The notes' drawing
// needs a page: tests/browser/test_tour.py.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {TOUR_NOTES, notePlace, opensByItself, tourKey} from '../../components/tour.mjs';

test('five to seven notes, one for each part a student meets first', () => {
  assert.ok(TOUR_NOTES.length >= 5 && TOUR_NOTES.length <= 7);
  const said = TOUR_NOTES.map(n => n.title + ' ' + n.text).join(' ');
  for (const part of ['graph', 'Next', 'stack', 'ledger', 'Chain rule', 'Predict', 'Tour button']) {
    assert.ok(said.includes(part), part);
  }
  assert.equal(new Set(TOUR_NOTES.map(n => n.target)).size, TOUR_NOTES.length);
});

test('it opens by itself on a first visit only, and not for automation, a lesson or a projector', () => {
  const first = {seen: false, automated: false, lesson: false, presenting: false};
  assert.equal(opensByItself(first), true);
  for (const reason of ['seen', 'automated', 'lesson', 'presenting']) {
    assert.equal(opensByItself({...first, [reason]: true}), false, reason);
  }
});

test('Esc closes anywhere; Enter and → go on, ← back, while the focus is in the note', () => {
  const inNote = {inNote: true, onButton: false};
  assert.deepEqual(tourKey('Escape', 2, 6, {inNote: false, onButton: false}), {close: true});
  assert.deepEqual(tourKey('Enter', 0, 6, inNote), {go: 1});
  assert.deepEqual(tourKey('ArrowRight', 4, 6, inNote), {go: 5});
  assert.deepEqual(tourKey('ArrowRight', 5, 6, inNote), {close: true});  // past the last: done
  assert.deepEqual(tourKey('ArrowLeft', 3, 6, inNote), {go: 2});
  assert.deepEqual(tourKey('ArrowLeft', 0, 6, inNote), {go: 0});
  // the focus elsewhere: → steps the stepper, as the note about stepping invites
  assert.equal(tourKey('ArrowRight', 1, 6, {inNote: false, onButton: false}), null);
  // Enter on the note's Back or Close presses that button, not Next
  assert.equal(tourKey('Enter', 1, 6, {inNote: true, onButton: true}), null);
  assert.equal(tourKey('p', 1, 6, inNote), null);
});

test('a note goes below its target, else above, beside, over it; always inside the window', () => {
  const view = {width: 1280, height: 720}, note = {width: 380, height: 200};
  const button = {left: 860, top: 100, right: 940, bottom: 130};
  assert.deepEqual(notePlace(button, note, view), {left: 860, top: 140, side: 'below'});
  const low = {left: 1200, top: 600, right: 1260, bottom: 630};
  assert.deepEqual(notePlace(low, note, view), {left: 890, top: 390, side: 'above'});
  const graph = {left: 355, top: 175, right: 860, bottom: 705};
  assert.deepEqual(notePlace(graph, note, view), {left: 870, top: 175, side: 'right'});
  const phone = {width: 390, height: 844}, wide = {left: 18, top: 40, right: 372, bottom: 820};
  assert.deepEqual(notePlace(wide, {width: 366, height: 220}, phone), {left: 14, top: 50, side: 'over'});
  // under the page's top band (68 px on a phone) a note is never placed: not above a target
  // close to it, nor over a tall one's top
  const banded = {top: 68, width: 390, height: 600}, graph2 = {left: 18, top: 230, right: 372, bottom: 480};
  const small = {width: 366, height: 160};
  assert.deepEqual(notePlace(graph2, small, {...banded, top: 0}), {left: 14, top: 60, side: 'above'});
  assert.deepEqual(notePlace(graph2, small, banded), {left: 14, top: 240, side: 'over'});
  assert.deepEqual(notePlace(wide, {width: 366, height: 220}, {...banded, height: 844}),
                   {left: 14, top: 78, side: 'over'});
});
