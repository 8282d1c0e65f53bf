// Practice mode ("your turn"): on a generated exercise or the program shown, the first pops are
// worked, then before each pop the student works out more of it, the route value, then also
// the node's gradient after it, then also which entries it pushes (the server decides which
// parts each pop asks: autodiff/trace/questions.py practice, sent by replay.py as tasks). A
// hint gives the local derivatives along the route; Check (Enter) marks every part and says
// right or wrong, the answer and why, naming a classic mistake as predict mode does.
//
// The numbers are marked by predict mode's one rule (quiz.mjs verdict, revealText): each
// number part comes in a question's shape. The rules here are pure and node-tested
// (tests/components/practice.test.mjs, which hands them quiz.mjs's functions as the page's
// script does: stepper.py puts quiz.mjs, this file and stepper.js into one script). The
// page part at the end draws the box and is wired by stepper.js (el, num, show, catchUp).

export const PART_NAMES = {route: 'Route value', gradient: 'Gradient', pushed: 'Pushed'};
// the exercise levels the page offers: level -> what the choice says (exercises.LEVELS)
export const LEVEL_NAMES = {1: '3 nodes', 2: '5 nodes', 3: '8 nodes'};

// The nodes a student may tick as pushed: every node but the output (a pop never pushes it).
export function pushCandidates(keys, output) {
  return keys.filter((_, i) => i !== output);
}

// Whether the nodes ticked are the nodes the pop pushes (an entry per edge: a node used twice,
// x * x, is pushed twice and ticked once).
export function entriesVerdict(pushed, ticked) {
  const expected = new Set(pushed.map(([node]) => node)), given = new Set(ticked);
  return {right: expected.size === given.size && [...given].every(n => expected.has(n)),
          mistake: ''};
}

// What the student gave: {route, gradient} as typed, {pushed} the nodes ticked. Returns the
// part left unreadable ({missing: 'route'}) or each asked part's verdict.
export function markTask(task, given) {
  for (const part of task.asks) {
    if (part !== 'pushed' && parseAnswer(given[part] ?? '') === null) return {missing: part};
  }
  const marks = {};
  for (const part of task.asks) {
    marks[part] = part === 'pushed' ? entriesVerdict(task.pushed, given.pushed || [])
      : verdict(task.parts[part], parseAnswer(given[part]));
  }
  return {marks};
}

// The entries a pop pushes, as the reveal says them: "a (4), b (4)", or that it pushes none.
export function pushedText(task) {
  if (!task.pushed.length) return `nothing: ${task.node} is an input, its routes end here`;
  return task.pushed.map(([node, value]) => `${node} (${value})`).join(', ') +
    `: one entry per input of ${task.node}, its route value the route's × the edge's local derivative`;
}

// The reveal: a line per asked part, each with ✓ or ✗ (never colour alone), the answer and
// why (a named mistake as predict mode names it). ``mistakes``: code -> [name, why].
export function revealLines(task, marks, mistakes) {
  return task.asks.map(part => {
    const result = marks[part], sign = result.right ? '✓' : '✗';
    if (part === 'pushed') {
      return `${sign} ${PART_NAMES.pushed}: ${result.right ? 'right' : 'not quite'}, the pop pushes ` +
        pushedText(task) + '.';
    }
    return `${sign} ${PART_NAMES[part]}: ${revealText(task.parts[part], result, mistakes)}`;
  });
}

// What a pop asks, in words: "Pop along d→a: work out its route value, a's gradient after it
// and the entries it pushes."
export function askedText(task) {
  const words = {route: 'its route value', gradient: `${task.node}'s gradient after it`,
                 pushed: 'the entries it pushes'};
  const parts = task.asks.map(part => words[part]);
  const listed = parts.length > 1 ? parts.slice(0, -1).join(', ') + ' and ' + parts.at(-1) : parts[0];
  return `Pop along ${task.route}: work out ${listed}.`;
}

// The narration of the last worked pop: what it did, not the values it pushed (the next
// pops ask them).
export function workedNote(node, route) {
  return `Worked: ${node} popped along ${route}. The entries it pushed are yours to work out: ` +
    '→ asks.';
}

// A skipped pop's reveal: the answers, without a verdict.
export function skippedLines(task) {
  return ['Skipped.', ...task.asks.map(part => part === 'pushed'
    ? `${PART_NAMES.pushed}: the pop pushes ${pushedText(task)}.`
    : `${PART_NAMES[part]}: ${task.parts[part].right}: ${task.parts[part].why}.`)];
}

// The score after a marked pop: every part counts.
export function scored(score, marks) {
  const results = Object.values(marks);
  return {right: score.right + results.filter(r => r.right).length,
          asked: score.asked + results.length};
}

export function scoreText({right, asked}) {
  return asked ? `Score: ${right} of ${asked} parts right` : '';
}

// Whether the stack hides its values at step k: practising, from the step before the first
// pop that asks (the value on top is the next answer).
export function hidesValues(practising, firstAsked, k) {
  return Boolean(practising) && firstAsked !== undefined && k >= firstAsked - 1;
}

// ---- the page: the practice box, asking, checking (stepper.js calls these) ----

function practiceBox() {
  const box = el('div', {id: 'ad-practice', class: 'ad-quiz ad-practice', hidden: '', role: 'group',
                         'aria-label': 'Your turn: practice'});
  const exercise = el('div', {class: 'ad-quiz-row ad-practice-new'});
  const level = el('select', {id: 'ad-practice-level', class: 'ad-select',
                              'aria-label': 'Exercise size', title: 'How big a new exercise is'});
  for (const [value, text] of Object.entries(LEVEL_NAMES)) level.append(el('option', {value}, text));
  level.value = '2';
  exercise.append(el('span', {class: 'ad-practice-title'}, 'Your turn'), level,
                  el('button', {type: 'button', 'data-practice': 'new', class: 'ad-btn',
                                title: 'A new exercise of this size (N)'}, 'New exercise'));
  const ask = el('div', {id: 'ad-practice-ask', class: 'ad-quiz-ask', hidden: ''});
  const field = (part, id) => {
    const label = el('label', {class: 'ad-quiz-label', 'data-part': part});
    label.append(el('span', {id: id + '-label'}),
                 el('input', {id, type: 'text', inputmode: 'decimal', autocomplete: 'off',
                              spellcheck: 'false', class: 'ad-quiz-input'}));
    return label;
  };
  const pushed = el('fieldset', {class: 'ad-practice-pushed', 'data-part': 'pushed'});
  pushed.append(el('legend', {}, 'Entries pushed: tick each node (none for an input)'),
                el('div', {id: 'ad-practice-nodes', class: 'ad-practice-nodes'}));
  const row = el('div', {class: 'ad-quiz-row'});
  row.append(el('button', {type: 'button', 'data-practice': 'check', class: 'ad-btn ad-primary'},
                'Check (Enter)'),
             el('button', {type: 'button', 'data-practice': 'hint', class: 'ad-btn'}, 'Hint'),
             el('button', {type: 'button', 'data-practice': 'skip', class: 'ad-btn'}, 'Skip'));
  ask.append(el('p', {id: 'ad-practice-prompt', class: 'ad-quiz-prompt', 'aria-live': 'assertive'}),
             field('route', 'ad-practice-route'), field('gradient', 'ad-practice-gradient'), pushed,
             row, el('p', {id: 'ad-practice-hint', class: 'ad-practice-hint', 'aria-live': 'polite',
                            hidden: ''}));
  box.append(exercise, ask,
             el('p', {id: 'ad-practice-result', class: 'ad-quiz-result', 'aria-live': 'polite'}),
             el('p', {id: 'ad-practice-score', class: 'ad-quiz-score'}));
  return box;
}

function newPractice() {
  return {on: false, asking: null, answered: new Set(), reveals: new Map(), verdicts: new Map(),
          score: {right: 0, asked: 0}, exercise: null};
}

// Mounted once: the box goes above predict mode's, its controls are listened to.
function mountPractice(app) {
  const quiz = app.dom.quiz, box = practiceBox();
  quiz.before(box);
  const $ = sel => box.querySelector(sel);
  app.practice = newPractice();
  app.pdom = {box, ask: $('#ad-practice-ask'), prompt: $('#ad-practice-prompt'),
              route: $('#ad-practice-route'), gradient: $('#ad-practice-gradient'),
              nodes: $('#ad-practice-nodes'), hint: $('#ad-practice-hint'),
              result: $('#ad-practice-result'), score: $('#ad-practice-score'),
              level: $('#ad-practice-level'), news: $('.ad-practice-new'),
              button: app.dom.root.querySelector('[data-act=practice]')};
  box.addEventListener('click', e => {
    const action = e.target.closest('[data-practice]');
    if (!action) return;
    const what = action.dataset.practice;
    if (what === 'new') newExercise(app);
    else if (what === 'check') checkPractice(app);
    else if (what === 'hint') showHint(app);
    else if (what === 'skip') skipPractice(app);
  });
  box.addEventListener('keydown', e => {
    if (e.key === 'Enter' && app.practice.asking && e.target.closest('#ad-practice-ask') &&
        e.target.tagName !== 'BUTTON') {
      e.preventDefault();
      checkPractice(app);
    }
  });
  app.pdom.level.addEventListener('change', () => {
    if (!app.viaKeyboard) app.pdom.level.blur();  // chosen with the mouse: the keys step again
  });
}

// A new payload (program, values or algorithm): what was answered was of another walk.
function resetPractice(app) {
  const {score, on, exercise} = app.practice;
  app.practice = {...newPractice(), score, on, exercise};  // the score runs across exercises
  app.pdom.ask.hidden = true;
  app.pdom.result.textContent = '';
}

// Whether a payload brings a new exercise (the server's level and seed changed): it opens
// at its step 0, in practice mode.
function exerciseArrived(app, data) {
  app.pdom.news.hidden = data.exercises === false;  // the Training view's stepper has none
  const key = data.exercise ? data.exercise.join(':') : null;
  if (key === app.practice.exercise) return false;
  app.practice.exercise = key;
  if (data.exercise) app.pdom.level.value = String(data.exercise[0]);
  return key !== null;
}

// Practice on or off. A walk practice cannot ask on (the topological sweep, a graph too big)
// is said in the box, which offers a new exercise; pressed again, the box goes.
function setPractice(app, on) {
  const {base} = app, pdom = app.pdom;
  const saying = !pdom.box.hidden && !app.practice.on;  // the box shows why it cannot ask
  pdom.result.textContent = '';
  if (on && base && (!base.teaching.on || base.algorithm !== 'route-stack')) {
    if (!saying) {
      pdom.result.textContent = base.algorithm !== 'route-stack'
        ? 'Practice steps the route stack: choose it above, or take a new exercise.'
        : `Practice asks on graphs of up to ${num(base.teaching.nodes)} nodes walked in up to ` +
          `${num(base.teaching.steps)} steps; this walk is bigger: take a new exercise.`;
    }
    on = false;
  }
  if (on && app.predict) setPredict(app, false);
  app.practice.on = on;
  pdom.button.setAttribute('aria-pressed', String(on));
  pdom.button.textContent = on ? 'Practising' : 'Practice';
  if (!on) closePractice(app);
  pdom.box.hidden = !on && !pdom.result.textContent;
  pdom.score.textContent = scoreText(app.practice.score);
  if (app.store) show(app, app.shown);
}

function newExercise(app) {
  if (app.pdom.news.hidden) return;  // a stepper that offers none (the Training view's)
  app.pdom.result.textContent = 'A new exercise is on its way…';
  app.io.setTriggerValue('exercise', {level: Number(app.pdom.level.value)});
}

// Moving from the target one step forward: true when that step asks first (then it is asked).
function practiceAsks(app, to) {
  const p = app.practice;
  if (p.asking) { focusFirst(app); return true; }
  const task = app.store.tasks.get(to);
  if (!asksFirst(p.on, app.target, to, task, p.answered)) return false;
  askPractice(app, task);
  return true;
}

function askPractice(app, task) {
  const {pdom, base} = app;
  app.practice.asking = task;
  pdom.ask.hidden = false;
  pdom.result.textContent = '';
  pdom.hint.hidden = true;
  pdom.hint.textContent = '';
  const asked = part => task.asks.includes(part);
  pdom.prompt.textContent = askedText(task);
  pdom.box.querySelector('#ad-practice-route-label').textContent = `Route value of ${task.node}'s entry`;
  pdom.box.querySelector('#ad-practice-gradient-label').textContent = `${task.node}'s gradient after it`;
  for (const part of ['route', 'gradient', 'pushed']) {
    pdom.box.querySelector(`[data-part=${part}]`).hidden = !asked(part);
  }
  pdom.route.value = '';
  pdom.gradient.value = '';
  pdom.nodes.replaceChildren(...pushCandidates(base.keys, base.output).map(key => {
    const label = el('label', {class: 'ad-practice-node'});
    label.append(el('input', {type: 'checkbox', value: key}), key);
    return label;
  }));
  focusFirst(app);
}

function focusFirst(app) {
  const first = app.pdom.ask.querySelector('[data-part]:not([hidden]) input');
  if (first) first.focus();
}

function closePractice(app) {
  app.practice.asking = null;
  app.pdom.ask.hidden = true;
  if (app.pdom.ask.contains(document.activeElement)) document.activeElement.blur();
}

function showHint(app) {
  const task = app.practice.asking;
  if (!task) return;
  app.pdom.hint.hidden = false;
  app.pdom.hint.textContent = `Hint: the local derivatives along ${task.route}: ${task.hint}.`;
}

function checkPractice(app) {
  const task = app.practice.asking, pdom = app.pdom;
  if (!task) return;
  const given = {route: pdom.route.value, gradient: pdom.gradient.value,
                 pushed: [...pdom.nodes.querySelectorAll('input:checked')].map(box => box.value)};
  const {missing, marks} = markTask(task, given);
  if (missing) {
    pdom.result.textContent = `Type a number for the ${PART_NAMES[missing].toLowerCase()}, ` +
      'e.g. 4, -0.5 or 1.2e-3.';
    setTimeout(() => pdom[missing].focus(), 0);  // Enter handed the keys back: take them again
    return;
  }
  const p = app.practice;
  p.score = scored(p.score, marks);
  p.verdicts.set(task.step, Object.values(marks).every(r => r.right));
  finish(app, task, revealLines(task, marks, app.base.mistakes));
}

function skipPractice(app) {
  const task = app.practice.asking;
  if (task) finish(app, task, skippedLines(task));
}

// The pop answered (or skipped): its reveal is said as the step's narration, then the step.
function finish(app, task, lines) {
  const p = app.practice;
  p.answered.add(task.step);
  p.reveals.set(task.step, lines.join('\n'));  // a part a line (stepper.css: pre-line)
  app.pdom.result.textContent = '';
  app.pdom.score.textContent = scoreText(p.score);
  closePractice(app);
  app.target = task.step;
  catchUp(app);
}

// What the narration says at step k while practising: a reveal; from the last worked pop on,
// where the stack hides its values, a note (its own narration says what it pushed, with the
// values the next pops ask); or null (the step's own narration).
function practiceSays(app, k) {
  const p = app.practice, store = app.store;
  if (!p.on) return null;
  if (p.reveals.has(k)) return p.reveals.get(k);
  const cell = store.pop[k];
  if (cell < 0 || !practiceHides(app, k)) return null;
  return workedNote(app.base.keys[store.cellNode[cell]], store.cellRoute[cell]);
}

function practiceVerdict(app, k) {
  const right = app.practice.on ? app.practice.verdicts.get(k) : undefined;
  return right === undefined ? '' : right ? 'right' : 'wrong';
}

function practiceHides(app, k) {
  const first = app.store.tasks.size ? Math.min(...app.store.tasks.keys()) : undefined;
  return hidesValues(app.practice.on, first, k);
}
