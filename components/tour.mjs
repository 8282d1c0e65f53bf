// The first visit's tour: six short notes, each beside the part of the page it explains (the
// graph, the step buttons, the route stack, the ledger, the chain rule, predict mode). It opens
// by itself once per browser (localStorage) and again from the Tour button. The rules (which
// notes, when it opens by itself, what a key does, where a note goes) are pure, so node checks
// them (tests/components/tour.test.mjs); the notes' drawing below them runs only in the page.
// stepper.py puts this file before stepper.js, which calls createTour, openTour and tourKeydown.

export const TOUR_SEEN = 'ad-tour-seen';  // localStorage: the tour has opened by itself once

// target: the element the note points at (a selector inside the stepper)
export const TOUR_NOTES = [
  {target: '.ad-net', title: 'The graph',
   text: 'The program as a graph: the output at the top, the inputs at the bottom, each edge ' +
         'labelled with its local derivative. The node being popped is yellow with ▶; ✓ marks ' +
         'a gradient that is complete.'},
  {target: '[data-act=next]', title: 'Step through the backward pass',
   text: 'Next and Back move one pop at a time: → or Space (a clicker’s PageDown) for the next ' +
         'step, ← for the one before, Home and End, P plays. L shows the legend.'},
  {target: '#ad-stack', title: 'The route stack',
   text: 'The entries waiting to be popped, top first: a node, the route from the output that ' +
         'reached it, and the route’s value, the product of the local derivatives along it.'},
  {target: '.ad-panels', title: 'The route ledger',
   text: 'Each node’s gradient as the sum over its routes, e.g. a = 4 (d→c→a) + 7 (d→a) = 11. ' +
         'The Gradients check compares it with a numerical estimate; Steps lists every step ' +
         'so far in words.'},
  {target: '[data-tab=chain]', title: 'The chain rule',
   text: 'The Chain rule tab writes each pop out: the local derivatives along the route ' +
         'multiplied, in symbols, then with the numbers in, then the number.'},
  {target: '[data-act=predict]', title: 'Predict, then reveal',
   text: 'Predict (Q) asks, before each pop is shown, what it will give. Type a number or pick ' +
         'one; the reveal says right or wrong, and why. The Tour button shows these notes again.'},
];

// The tour opens by itself on a first visit only: not once it has opened in this browser, not
// when automation drives the page (navigator.webdriver: the browser tests open many pages,
// and a note over the controls would be in their way), not from a lesson link (a lecturer's
// slide: the student lands on that step, the tour is one button away) and not in presenter
// view (a projector).
export function opensByItself({seen, automated, lesson, presenting}) {
  return !seen && !automated && !lesson && !presenting;
}

// What a key does while a note is open: {go: note index}, {close: true} or null (the key is
// not the tour's). Esc closes the tour wherever the focus is; the other keys are the tour's
// while the focus is in the note (the stepper's otherwise, so a student can try → on the
// graph while a note says so). Enter on one of the note's buttons presses that button.
export function tourKey(key, at, count, {inNote, onButton}) {
  if (key === 'Escape') return {close: true};
  if (!inNote) return null;
  if (key === 'Enter' && onButton) return null;
  if (key === 'Enter' || key === 'ArrowRight') return at + 1 < count ? {go: at + 1} : {close: true};
  if (key === 'ArrowLeft') return {go: Math.max(0, at - 1)};
  return null;
}

// Where a note goes (viewport px): below its target where the window has room, else above
// it, else beside it (right, then left), else over the target's top (a target as big as the
// window), never past the window's edges nor under the band at its top (``view.top``: the
// page's header, which turns opaque once the page scrolls).
export function notePlace(target, note, view, gap = 10) {
  const clamp = (v, lo, hi) => Math.max(lo, Math.min(v, hi));
  const first = (view.top || 0) + gap;  // the highest a note's top may be
  const last = view.height - note.height - gap;
  const left = clamp(target.left, gap, view.width - note.width - gap);
  const top = clamp(target.top, first, last);
  if (target.bottom + gap >= first && target.bottom + gap + note.height <= view.height) {
    return {left, top: target.bottom + gap, side: 'below'};
  }
  if (target.top - gap - note.height >= first - gap) return {left, top: target.top - gap - note.height, side: 'above'};
  if (target.right + gap + note.width <= view.width) return {left: target.right + gap, top, side: 'right'};
  if (target.left - gap - note.width >= 0) return {left: target.left - gap - note.width, top, side: 'left'};
  return {left, top: clamp(target.top + gap, first, last), side: 'over'};
}

// ---- the notes on the page (stepper.js creates one tour per stepper) ----

export function createTour(root) {
  const make = (tag, attrs, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const box = make('div', {class: 'ad-tour', role: 'dialog', 'aria-modal': 'false', tabindex: '-1',
                           'aria-labelledby': 'ad-tour-title', 'aria-describedby': 'ad-tour-text',
                           hidden: ''});
  const buttons = make('div', {class: 'ad-tour-buttons'});
  const button = (what, text, title) =>
    make('button', {type: 'button', class: 'ad-btn', 'data-tour': what, title}, text);
  buttons.append(button('back', '◀ Back', 'The note before (←)'),
                 button('next', 'Next ▶', 'The next note (Enter or →)'),
                 button('close', 'Close', 'Close the tour (Esc); the Tour button opens it again'));
  box.append(make('p', {id: 'ad-tour-count', class: 'ad-tour-count'}),
             make('h4', {id: 'ad-tour-title', class: 'ad-tour-title'}),
             make('p', {id: 'ad-tour-text', class: 'ad-tour-text'}), buttons);
  root.append(box);
  const tour = {root, box, at: -1, opener: null, target: null};
  box.addEventListener('click', e => {
    const pressed = e.target.closest('[data-tour]');
    if (!pressed) return;
    const what = pressed.dataset.tour;
    if (what === 'close') closeTour(tour);
    else showNote(tour, tour.at + (what === 'next' ? 1 : -1));
  });
  tour.onResize = () => { if (tour.at >= 0) placeNote(tour); };
  window.addEventListener('resize', tour.onResize);
  return tour;
}

// Open at the first note; the focus moves into the note (and goes back where it was after).
export function openTour(tour) {
  const focused = document.activeElement;
  tour.opener = focused && focused !== document.body && !tour.box.contains(focused) ? focused : null;
  tour.box.hidden = false;
  showNote(tour, 0);
}

export function closeTour(tour) {
  if (tour.at < 0) return;
  tour.at = -1;
  tour.box.hidden = true;
  if (tour.target) tour.target.classList.remove('ad-tour-target');
  tour.target = null;
  if (tour.opener && tour.opener.isConnected) tour.opener.focus({preventScroll: true});
  else if (tour.box.contains(document.activeElement)) document.activeElement.blur();
  tour.opener = null;
}

function showNote(tour, at) {
  if (at >= TOUR_NOTES.length) { closeTour(tour); return; }
  tour.at = Math.max(0, at);
  const note = TOUR_NOTES[tour.at], box = tour.box;
  box.querySelector('#ad-tour-count').textContent = `Tour: note ${tour.at + 1} of ${TOUR_NOTES.length}`;
  box.querySelector('#ad-tour-title').textContent = note.title;
  box.querySelector('#ad-tour-text').textContent = note.text;
  box.querySelector('[data-tour=back]').disabled = tour.at === 0;
  box.querySelector('[data-tour=next]').textContent = tour.at + 1 < TOUR_NOTES.length ? 'Next ▶' : 'Done';
  if (tour.target) tour.target.classList.remove('ad-tour-target');
  tour.target = tour.root.querySelector(note.target);
  box.dataset.note = String(tour.at);
  if (tour.target) {
    tour.target.classList.add('ad-tour-target');
    tour.target.scrollIntoView({block: 'nearest'});
  }
  placeNote(tour);
  settle(tour);
  box.focus({preventScroll: true});  // a screen reader reads the note's title and text
}

// The page may still be settling when a note opens (Streamlit lays out what comes around the
// stepper as it arrives, and the sidebar takes its width): for a moment, the note is placed
// again whenever its target moves in the window; after that it scrolls with the page.
const SETTLE_MS = 1500;

function settle(tour) {
  cancelAnimationFrame(tour.settling);
  const until = performance.now() + SETTLE_MS, at = tour.at;
  let last = null;
  const check = () => {
    if (tour.at !== at || performance.now() > until) return;
    const r = (tour.target || tour.root).getBoundingClientRect();
    const now = `${r.left} ${r.top} ${r.width} ${r.height}`;
    if (last !== null && now !== last) placeNote(tour);
    last = now;
    tour.settling = requestAnimationFrame(check);
  };
  check();
}

function placeNote(tour) {
  const box = tour.box, root = tour.root.getBoundingClientRect();
  const target = tour.target && tour.target.getClientRects().length
    ? tour.target.getBoundingClientRect() : root;
  const band = document.querySelector('[data-testid=stHeader]');
  const where = notePlace(target, {width: box.offsetWidth, height: box.offsetHeight},
                          {top: band ? Math.max(0, band.getBoundingClientRect().bottom) : 0,
                           width: document.documentElement.clientWidth, height: window.innerHeight});
  box.style.left = `${where.left - root.left}px`;
  box.style.top = `${where.top - root.top}px`;
  box.dataset.side = where.side;
}

// The stepper's keydown listener asks first (the capture phase, before the stepper's own):
// a key the tour takes is prevented, and the stepper leaves a prevented key alone.
export function tourKeydown(tour, e) {
  if (tour.at < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
  const action = tourKey(e.key, tour.at, TOUR_NOTES.length, {
    inNote: tour.box.contains(e.target),
    onButton: Boolean(e.target.closest && e.target.closest('button'))});
  if (!action) return;
  e.preventDefault();
  e.stopPropagation();
  if (action.close) closeTour(tour);
  else showNote(tour, action.go);
}

export function removeTour(tour) {
  window.removeEventListener('resize', tour.onResize);
  tour.box.remove();
}

// On the stepper's first payload: open by itself if this is a first visit (opensByItself),
// and remember that it opened (a browser that keeps no storage is shown it once per page).
export function openOnFirstVisit(tour, {lesson, presenting}) {
  let seen = false;
  try { seen = localStorage.getItem(TOUR_SEEN) !== null; } catch { /* storage refused */ }
  if (!opensByItself({seen, automated: navigator.webdriver === true, lesson, presenting})) return;
  try { localStorage.setItem(TOUR_SEEN, '1'); } catch { /* storage refused */ }
  openTour(tour);
}
