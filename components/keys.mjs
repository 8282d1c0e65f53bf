// Who gets a key press: the stepper, or the element that has the focus; and the step the keys
// go on from after a rerun. Pure (it reads only the element's own properties and the values
// it is given), so node checks it (tests/components/keys.test.mjs). A component's script is
// one string with no imports: stepper.py puts this file before stepper.js.
//
// The rule: the stepper's keys step unless text is being edited. Editing text is typing in a
// text field or the program box, or choosing in an open dropdown. A closed dropdown, a radio,
// a switch, a slider or a button is not: choosing one with the mouse leaves the keys with the
// stepper. Reached with Tab, such a control keeps the keys it is worked with (Space presses a
// button, arrows move a radio, letters search a dropdown), so the page still works from the
// keyboard alone; the clicker's PageDown/PageUp still step from a dropdown; Esc hands the keys
// back from any of them.

const STEP_KEYS = {ArrowRight: 'next', PageDown: 'next', ' ': 'next', ArrowLeft: 'back',
                   PageUp: 'back', Home: 'home', End: 'end', p: 'play', P: 'play',
                   f: 'fit', F: 'fit', l: 'legend', L: 'legend', v: 'present', V: 'present',
                   q: 'predict', Q: 'predict', n: 'exercise', N: 'exercise'};

const TEXT_INPUTS = new Set(['', 'text', 'search', 'number', 'email', 'url', 'tel', 'password',
                             'date', 'time', 'datetime-local', 'month', 'week']);
const ARROWS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'];
const RANGE_KEYS = [...ARROWS, 'PageUp', 'PageDown', 'Home', 'End'];
// the keys a control reached with Tab is worked with, by kind
const OWN_KEYS = {button: [' ', 'Enter'], radio: [...ARROWS, ' '], checkbox: [' '],
                  range: RANGE_KEYS, select: [...RANGE_KEYS, ' '],
                  dropdown: [...ARROWS, 'Home', 'End']};
// kinds whose typed letters (and Space) choose or search an option
const TYPED_INTO = new Set(['select', 'dropdown']);

const attr = (el, name) => (el.getAttribute ? el.getAttribute(name) : null) || '';

// What kind of element has the focus: 'text' (typing goes there), 'dropdown' (a closed
// select), a control kind of OWN_KEYS, or 'none' (the page itself, the graph, a panel).
export function focusKind(el) {
  if (!el || !el.tagName) return 'none';
  const tag = el.tagName.toUpperCase(), role = attr(el, 'role');
  if (role === 'combobox') return attr(el, 'aria-expanded') === 'true' ? 'text' : 'dropdown';
  if (el.isContentEditable || tag === 'TEXTAREA') return 'text';
  if (tag === 'INPUT') {
    const type = (el.type || attr(el, 'type')).toLowerCase();
    if (TEXT_INPUTS.has(type)) return 'text';
    if (type === 'radio' || type === 'checkbox' || type === 'range') return type;
    return 'button';  // button, submit, reset, color, file
  }
  if (tag === 'SELECT') return 'select';
  if (role === 'radio') return 'radio';
  if (role === 'checkbox' || role === 'switch') return 'checkbox';
  if (role === 'slider') return 'range';
  if (tag === 'BUTTON' || tag === 'SUMMARY' || tag === 'A' ||
      ['button', 'tab', 'option', 'menuitem', 'link'].includes(role)) return 'button';
  return 'none';
}

// What a key press does. ``press``: {key, ctrlKey, metaKey, altKey}; ``focused``: the
// element with the focus; ``viaKeyboard``: it was reached with the keyboard (Tab), not the
// mouse; ``presenting``: presenter view is on. Returns
//   {step: 'next' | 'back' | … }  the stepper takes the key (and nothing else does),
//   {release: true}               the key hands the keys back: the focus leaves the element,
//   {release: true, after: true}  the same once the element has had the key (Ctrl+Enter
//                                 applies the program, Enter a number),
//   {unpresent: true}             Esc leaves presenter view,
//   null                          not the stepper's: the element or the page has it.
// ``letters``: the single-letter shortcuts (P, F, L, V, Q, N) are on; off, a letter is never the
// stepper's (WCAG 2.1.4: a speech-input user's words must not fire them), the arrows, Space
// and the Page keys still step.
export function keyAction(press, focused, {viaKeyboard = false, presenting = false,
                                          letters = true} = {}) {
  const kind = focusKind(focused), key = press.key;
  const command = press.ctrlKey || press.metaKey;
  if (kind === 'text') {
    if (key === 'Escape') return {release: true};
    const tag = focused.tagName.toUpperCase();
    if (key === 'Enter' && !press.altKey && (tag === 'TEXTAREA' ? command : tag === 'INPUT')) {
      // a field that takes Enter as its answer (predict's) keeps the keys: it gives them up
      // itself once the answer is taken, and keeps them while it asks again
      if (attr(focused, 'data-keeps-enter')) return null;
      return {release: true, after: true};
    }
    return null;  // typing
  }
  if (key === 'Escape') {
    if (presenting) return {unpresent: true};
    return kind === 'none' ? null : {release: true};
  }
  if (command || press.altKey) return null;  // the browser's and the page's own shortcuts
  const step = STEP_KEYS[key];
  if (!step || (!letters && /^[a-z]$/i.test(key))) return null;
  if (viaKeyboard && ((OWN_KEYS[kind] || []).includes(key) ||
                      (TYPED_INTO.has(kind) && key.length === 1))) return null;
  return {step};
}

// The step a payload opens at. A rerun brings a new payload when a value changes, and
// Streamlit may mount the stepper afresh on a rerun (it does when a rerun is slow): either
// way the server's ``start`` is the step it had heard when the rerun began, older than the
// step the keys reached if they moved in the last REPORT_MS (stepper.js). So the page keeps
// its own step for the same walk (same graph shape, algorithm and step count: server-given,
// stepper.py walk_key), which it reports again; another walk opens where the server says
// (a new program at 0, a shared link's step, the matching step of the other algorithm).
// ``place``: {walk, step} where the page stands, or null before any payload.
export function openingStep(place, walk, start, last) {
  const step = place && place.walk === walk ? place.step : start;
  return Math.max(0, Math.min(last, step));
}

// Whether a payload opens in presenter view: when the link asks (``?present=1``), or when a
// stepper mounted afresh by a rerun shows the same walk as the one that was presenting (its
// unmount takes the view down: a lecturer's projector would drop out of it mid-lecture).
// ``place.presenting``: whether presenter view was on when the last stepper unmounted.
export function opensPresenting(place, walk, asked) {
  return Boolean(asked) || Boolean(place && place.walk === walk && place.presenting);
}
