// The key rule of components/keys.mjs (run by test_keys_rule.py through `node --test`):
// which element keeps a key press and which hands it to the stepper, and the step the keys go
// on from after a rerun.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {focusKind, keyAction, openingStep, opensPresenting} from '../../components/keys.mjs';

// an element as the page has it: a tag, an input type, attributes
const element = (tagName, {type, editable = false, ...attrs} = {}) => ({
  tagName, type, isContentEditable: editable, getAttribute: name => attrs[name] ?? null,
});
const press = (key, mods = {}) => ({key, ctrlKey: false, metaKey: false, altKey: false, ...mods});

const BODY = element('BODY');
const PROGRAM = element('TEXTAREA');
const NUMBER = element('INPUT', {type: 'number'});
const CLOSED_SELECT = element('INPUT', {type: 'text', role: 'combobox', 'aria-expanded': 'false'});
const OPEN_SELECT = element('INPUT', {type: 'text', role: 'combobox', 'aria-expanded': 'true'});
const RADIO = element('INPUT', {type: 'radio'});
const SWITCH = element('INPUT', {type: 'checkbox', role: 'switch'});
const SLIDER = element('DIV', {role: 'slider'});
const STEP_SLIDER = element('INPUT', {type: 'range'});
const BUTTON = element('BUTTON');
const SPEED = element('SELECT');

test('typing in the program, a number field or an open dropdown keeps every key', () => {
  for (const el of [PROGRAM, NUMBER, OPEN_SELECT, element('DIV', {editable: true})]) {
    assert.equal(focusKind(el), 'text');
    for (const key of [' ', 'ArrowRight', 'PageDown', 'f', 'v', 'Home']) {
      assert.equal(keyAction(press(key), el), null, `${el.tagName} ${key}`);
    }
  }
});

test('after a control is chosen with the mouse, the stepper keys step', () => {
  for (const el of [CLOSED_SELECT, RADIO, SWITCH, SLIDER, STEP_SLIDER, BUTTON, SPEED, BODY]) {
    assert.notEqual(focusKind(el), 'text');
    assert.deepEqual(keyAction(press('PageDown'), el), {step: 'next'});
    assert.deepEqual(keyAction(press('ArrowRight'), el), {step: 'next'});
    assert.deepEqual(keyAction(press(' '), el), {step: 'next'});
    assert.deepEqual(keyAction(press('PageUp'), el), {step: 'back'});
    assert.deepEqual(keyAction(press('F'), el), {step: 'fit'});
  }
});

test('a closed dropdown chosen with the mouse hands every key to the stepper', () => {
  assert.equal(focusKind(CLOSED_SELECT), 'dropdown');
  assert.deepEqual(keyAction(press(' '), CLOSED_SELECT), {step: 'next'});
  assert.deepEqual(keyAction(press('p'), CLOSED_SELECT), {step: 'play'});
  assert.deepEqual(keyAction(press('End'), CLOSED_SELECT), {step: 'end'});
});

test('a dropdown reached with Tab keeps what searches it; the clicker still steps', () => {
  const tabbed = {viaKeyboard: true};
  for (const key of ['p', 'f', 'v', ' ', 'Home', 'End', 'ArrowDown']) {
    assert.equal(keyAction(press(key), CLOSED_SELECT, tabbed), null, key);
  }
  assert.deepEqual(keyAction(press('PageDown'), CLOSED_SELECT, tabbed), {step: 'next'});
  assert.deepEqual(keyAction(press('PageUp'), CLOSED_SELECT, tabbed), {step: 'back'});
  assert.deepEqual(keyAction(press('ArrowRight'), CLOSED_SELECT), {step: 'next'});
});

test('a control reached with Tab keeps the keys it is worked with, and only those', () => {
  const tabbed = {viaKeyboard: true};
  assert.equal(keyAction(press(' '), BUTTON, tabbed), null);  // Space presses it
  assert.equal(keyAction(press('ArrowRight'), RADIO, tabbed), null);  // the next option
  assert.equal(keyAction(press(' '), SWITCH, tabbed), null);
  assert.equal(keyAction(press('PageDown'), SLIDER, tabbed), null);
  assert.deepEqual(keyAction(press('ArrowRight'), BUTTON, tabbed), {step: 'next'});
  assert.deepEqual(keyAction(press('PageDown'), RADIO, tabbed), {step: 'next'});
  assert.deepEqual(keyAction(press('p'), SLIDER, tabbed), {step: 'play'});
});

test('Esc leaves the program box, a number field or any control', () => {
  for (const el of [PROGRAM, NUMBER, OPEN_SELECT, CLOSED_SELECT, RADIO, BUTTON]) {
    assert.deepEqual(keyAction(press('Escape'), el), {release: true});
  }
  assert.equal(keyAction(press('Escape'), BODY), null);
});

test('Esc leaves presenter view once no text is being edited', () => {
  assert.deepEqual(keyAction(press('Escape'), BODY, {presenting: true}), {unpresent: true});
  assert.deepEqual(keyAction(press('Escape'), BUTTON, {presenting: true}), {unpresent: true});
  assert.deepEqual(keyAction(press('Escape'), PROGRAM, {presenting: true}), {release: true});
});

test('Ctrl+Enter applies the program and Enter a number, then the keys come back', () => {
  const after = {release: true, after: true};
  assert.deepEqual(keyAction(press('Enter', {ctrlKey: true}), PROGRAM), after);
  assert.deepEqual(keyAction(press('Enter', {metaKey: true}), PROGRAM), after);
  assert.equal(keyAction(press('Enter'), PROGRAM), null);  // a new line
  assert.deepEqual(keyAction(press('Enter'), NUMBER), after);
  // predict's answer takes Enter itself: it keeps the keys (no hand-back to undo if it asks again)
  const ANSWER = element('INPUT', {type: 'text', 'data-keeps-enter': 'true'});
  assert.equal(keyAction(press('Enter'), ANSWER), null);
  assert.deepEqual(keyAction(press('Escape'), ANSWER), {release: true});
});

test('keys with Ctrl, Cmd or Alt are never the stepper\'s', () => {
  for (const mods of [{ctrlKey: true}, {metaKey: true}, {altKey: true}]) {
    assert.equal(keyAction(press('ArrowRight', mods), BODY), null);
    assert.equal(keyAction(press('f', mods), CLOSED_SELECT), null);
  }
});

test('keys the stepper has no use for are left alone', () => {
  for (const key of ['Tab', 'Enter', 'ArrowDown', 'a', 'r']) {
    assert.equal(keyAction(press(key), BODY), null, key);
  }
});

test('new values keep the step the keys reached, not the older one the server had', () => {
  const place = {walk: 'graph-1:route-stack:29', step: 3};
  assert.equal(openingStep(place, 'graph-1:route-stack:29', 0, 29), 3);
  assert.equal(openingStep(place, 'graph-1:route-stack:29', 5, 29), 3);  // and a later mount
});

test('another walk opens where the server says', () => {
  const place = {walk: 'graph-1:route-stack:29', step: 3};
  assert.equal(openingStep(place, 'graph-2:route-stack:29', 0, 40), 0);  // a new program
  assert.equal(openingStep(place, 'graph-1:topological:9', 2, 9), 2);  // the other algorithm
  assert.equal(openingStep(null, 'graph-1:route-stack:29', 7, 29), 7);  // a shared link's step
});

test('the opening step lies on the walk', () => {
  assert.equal(openingStep(null, 'w', 12, 4), 4);
  assert.equal(openingStep({walk: 'w', step: 9}, 'w', 0, 4), 4);
  assert.equal(openingStep(null, 'w', -1, 4), 0);
});

test('presenter view survives a fresh mount of the same walk, and only of it', () => {
  const place = {walk: 'graph-1:route-stack:29', step: 3, presenting: true};
  assert.equal(opensPresenting(place, 'graph-1:route-stack:29', false), true);
  assert.equal(opensPresenting(place, 'graph-2:route-stack:29', false), false);  // another program
  assert.equal(opensPresenting({...place, presenting: false}, 'graph-1:route-stack:29', false),
               false);  // it was left before the rerun
  assert.equal(opensPresenting(null, 'w', false), false);  // a page just opened
  assert.equal(opensPresenting(null, 'w', true), true);  // ?present=1
});

test('N asks for a new practice exercise, unless typed into a field', () => {
  assert.deepEqual(keyAction(press('n'), BODY), {step: 'exercise'});
  assert.deepEqual(keyAction(press('N'), BODY), {step: 'exercise'});
  assert.equal(keyAction(press('n'), {tagName: 'INPUT', type: 'text'}), null);
});

test('with the single-letter shortcuts off, letters do nothing and the other keys still step', () => {
  const off = {letters: false};
  for (const key of ['p', 'P', 'f', 'F', 'l', 'L', 'v', 'V', 'q', 'Q', 'n', 'N']) {
    assert.equal(keyAction(press(key), BODY, off), null, key);
    assert.notEqual(keyAction(press(key), BODY), null, key);  // on by default
  }
  assert.deepEqual(keyAction(press('ArrowRight'), BODY, off), {step: 'next'});
  assert.deepEqual(keyAction(press(' '), BODY, off), {step: 'next'});
  assert.deepEqual(keyAction(press('PageUp'), BODY, off), {step: 'back'});
  assert.deepEqual(keyAction(press('End'), BODY, off), {step: 'end'});
});
