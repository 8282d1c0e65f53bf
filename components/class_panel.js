// The live class in the page: the lecturer's controls (start a class, its join code and QR
// code, ask the class the next pop's question, the live tally, reveal, end) or a student's bar
// (following the lecturer or on their own, the question posed and their result). It speaks to
// the class's routes itself (classroom/routes.py): the lecturer's secret lives in this tab's
// sessionStorage and goes only to those routes, never to Streamlit's server nor into a link.
// The rules are classroom.mjs's (and quiz.mjs's reading of a typed number); class_panel.py
// puts them before this file. The stepper is reached through its 'ad-step' event and
// globalThis.adStepper (goTo, question), and never waits for the class: a refusal or a lost
// network is said here, and stepping goes on.

const LECTURER_KEY = 'ad-class-lecturer';  // sessionStorage: {code, secret} of this tab's class
const STUDENT_KEY = 'ad-class-student';    // sessionStorage: this tab's anonymous token
const ANSWERS_KEY = 'ad-class-answers-';   // sessionStorage + code: {question id: answer given}
const SEND_RETRY_MS = 1000;                // a lecturer's message that met no server is sent again
const OFFLINE = 'The class server cannot be reached: trying again…';

function tag(name, attrs = {}, text) {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(act, text, extra = '') {
  return tag('button', {type: 'button', 'data-class': act, class: 'ad-btn ' + extra}, text);
}

function remembered(key) {
  try { return JSON.parse(sessionStorage.getItem(key)); } catch { return null; }
}

function remember(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(value));
  } catch { /* storage refused (a private window): the class works until a reload */ }
}

// A POST to a class route: {ok, said} or {ok: false, error, offline}.
async function post(path, body) {
  let reply;
  try {
    reply = await fetch(path, {method: 'POST', headers: {'Content-Type': 'application/json'},
                               body: JSON.stringify(body)});
  } catch {
    return {ok: false, offline: true, error: OFFLINE};
  }
  let said = {};
  try { said = await reply.json(); } catch { /* no JSON: the status says it */ }
  return reply.ok ? {ok: true, said}
    : {ok: false, error: said.error || `The class server refused (HTTP ${reply.status}).`};
}

const roomPath = code => `/class/rooms/${encodeURIComponent(code)}`;

// ---- the room's stream, opened again when it drops (not when the room refused or ended) ----

function connect(cls) {
  clearTimeout(cls.retry);
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}${roomPath(cls.code)}/live`);
  const hello = cls.role === 'lecturer' ? {role: 'lecturer', secret: cls.secret} : {role: 'student'};
  cls.socket = socket;
  socket.addEventListener('open', () => socket.send(JSON.stringify(hello)));
  socket.addEventListener('message', event => {
    let message;
    try { message = JSON.parse(event.data); } catch { return; }
    cls.tries = 0;
    if (message.type === 'refused' || message.type === 'ended') cls.over = true;
    cls.live = received(cls.live, message);
    if (cls.role === 'lecturer') lecturerHeard(cls, message);
    else studentHeard(cls, message);
  });
  socket.addEventListener('close', () => {
    if (cls.socket !== socket) return;  // replaced by another stream
    cls.socket = null;
    if (cls.over || !cls.code) return;
    cls.retry = setTimeout(() => connect(cls), retryDelay(cls.tries++));
  });
}

function disconnect(cls) {
  clearTimeout(cls.retry);
  const socket = cls.socket;
  cls.socket = null;
  if (socket) socket.close();
}

function say(cls, text) {
  cls.dom.say.textContent = text;
  cls.dom.say.hidden = !text;
  if (cls.role === 'lecturer') drawLecturer(cls);  // the board shows the message
}

// ---- the lecturer ----

function lecturerDom(parent) {
  const root = tag('div', {class: 'ad-class ad-class-lecturer'});
  const bar = tag('div', {class: 'ad-class-bar', role: 'group', 'aria-label': 'Live class'});
  const code = tag('span', {class: 'ad-class-code'});
  bar.append(button('start', 'Start a class'), code,
             button('join', 'Hide join code', 'ad-class-running'),
             button('pose', 'Ask the class', 'ad-class-running'),
             button('reveal', 'Reveal answer', 'ad-class-running'),
             button('end', 'End class', 'ad-class-running'));
  const board = tag('aside', {class: 'ad-class-board', 'aria-label': 'Live class board', hidden: ''});
  const join = tag('section', {class: 'ad-class-join', 'aria-label': 'Join this class'});
  const address = tag('input', {type: 'url', class: 'ad-class-address', spellcheck: 'false',
                                autocomplete: 'off'});
  const label = tag('label', {class: 'ad-class-field'}, 'App address, as students reach it ');
  label.append(address);
  join.append(tag('h3', {}, 'Join the class'), tag('p', {class: 'ad-class-big'}),
              tag('img', {class: 'ad-class-qr', alt: '', width: '260', height: '260'}),
              tag('p', {class: 'ad-class-link'}), label);
  const tally = tag('section', {class: 'ad-class-tally', 'aria-label': "The class's answers",
                                'aria-live': 'polite', hidden: ''});
  board.append(tag('p', {class: 'ad-class-say', role: 'status', hidden: ''}), join, tally);
  root.append(bar, board);
  parent.append(root);
  const $ = sel => root.querySelector(sel);
  return {root, bar, code, board, join, tally, address, say: $('.ad-class-say'),
          big: $('.ad-class-big'), qr: $('.ad-class-qr'), link: $('.ad-class-link'),
          joinButton: $('[data-class=join]'), start: $('[data-class=start]'),
          reveal: $('[data-class=reveal]')};
}

function startLecturer(parent) {
  const cls = {role: 'lecturer', dom: lecturerDom(parent), live: {}, tries: 0, pending: [],
               sending: false, seq: 0, sent: [], boardShown: true, stepNow: null, sentShow: null};
  const kept = remembered(LECTURER_KEY);  // a reload of the lecturer's tab carries on
  cls.dom.address.value = location.origin + location.pathname;
  cls.dom.address.addEventListener('input', () => drawJoin(cls));
  cls.dom.root.addEventListener('click', event => {
    const act = event.target.closest('[data-class]');
    if (act) lecturerActs(cls, act.dataset.class);
  });
  cls.onStep = event => stepDrawn(cls, event.detail);
  document.addEventListener('ad-step', cls.onStep);
  // the bar wraps differently in presenter view, or in a narrower window: the board follows
  cls.observer = new ResizeObserver(() => placeBoard(cls));
  cls.observer.observe(cls.dom.bar);
  if (kept && kept.code && kept.secret) {
    cls.code = kept.code;
    cls.secret = kept.secret;
    connect(cls);
  }
  globalThis.adClass = {role: 'lecturer', code: () => cls.code || null, sent: () => [...cls.sent],
                        pending: () => cls.pending.length + (cls.sending ? 1 : 0),
                        tally: () => cls.live.tally || null};
  return cls;
}

function lecturerActs(cls, act) {
  if (act === 'start') startClass(cls);
  else if (act === 'join') { cls.boardShown = !cls.boardShown; drawLecturer(cls); }
  else if (act === 'pose') pose(cls);
  else if (act === 'reveal') queue(cls, {action: 'reveal'});
  else if (act === 'end') queue(cls, {action: 'end'});
}

async function startClass(cls) {
  cls.dom.start.disabled = true;
  const made = await post('/class/rooms', {});
  cls.dom.start.disabled = false;
  if (!made.ok) { say(cls, made.error); return; }
  cls.code = made.said.code;
  cls.secret = made.said.secret;
  remember(LECTURER_KEY, {code: cls.code, secret: cls.secret});
  cls.live = {};
  cls.over = false;
  cls.boardShown = true;
  say(cls, '');
  sendShow(cls, cls.stepNow ?? cls.data.step);
  connect(cls);
  drawLecturer(cls);
}

// What the lecturer's page shows goes to the room: a new program, values, algorithm or mode
// as a show (with the step it opens at), each step drawn as a step.
function sendShow(cls, step) {
  const shown = cls.data.shown;
  cls.sentShow = shown;
  cls.stepNow = step;
  queue(cls, {action: 'show', program: shown.program, values: shown.values,
              algorithm: shown.algorithm, mode: shown.mode, step});
}

function stepDrawn(cls, {step, target}) {
  if (step !== target) return;  // a step drawn on the way to the one asked for
  const moved = step !== cls.stepNow;
  cls.stepNow = step;
  if (cls.code && !cls.over && moved) queue(cls, {action: 'step', step});
}

// The next pop's question (what predict mode would ask before showing it), to the room.
function pose(cls) {
  const stepper = globalThis.adStepper;
  const question = stepper && stepper.question(stepper.shown() + 1);
  if (!question) {
    say(cls, 'The next step has no question to ask (the last step, or a graph too big for ' +
        'questions): step to another one.');
    return;
  }
  say(cls, '');
  queue(cls, {action: 'pose', question: posedQuestion(question)});
}

function queue(cls, message) {
  if (!cls.code) return;
  cls.pending = enqueue(cls.pending, message);
  pump(cls);
}

// One message on its way at a time, in order; what queued meanwhile was coalesced (enqueue).
async function pump(cls) {
  if (cls.sending || !cls.pending.length) return;
  const [message, ...rest] = cls.pending;
  cls.pending = rest;
  cls.sending = true;
  cls.seq = nextSeq(cls.seq, Date.now());
  const sent = await post(`${roomPath(cls.code)}/lecturer`,
                          {...message, secret: cls.secret, seq: cls.seq});
  cls.sending = false;
  if (sent.offline) {
    cls.pending = [message, ...cls.pending];
    say(cls, sent.error);
    setTimeout(() => pump(cls), SEND_RETRY_MS);
    return;
  }
  if (sent.ok) {
    if ('step' in message) cls.sent.push(message.step);
    if (cls.dom.say.textContent === OFFLINE) say(cls, '');
  } else {
    say(cls, sent.error);
  }
  pump(cls);
}

function lecturerHeard(cls, message) {
  if (message.type === 'ended' || message.type === 'refused') {
    remember(LECTURER_KEY, null);
    disconnect(cls);
    const why = message.type === 'ended' ? message.reason : message.error;
    cls.code = cls.secret = null;
    cls.pending = [];
    cls.live = {};
    say(cls, why);
  } else if (message.type === 'room' && !cls.sentShow) {  // a reloaded page: the room as left
    const room = message.room;
    if (showChanged(room, cls.data.shown)) sendShow(cls, cls.stepNow ?? cls.data.step);
    else {
      cls.sentShow = cls.data.shown;
      if (cls.stepNow !== null && cls.stepNow !== room.step) queue(cls, {action: 'step', step: cls.stepNow});
    }
  }
  drawLecturer(cls);
}

function drawLecturer(cls) {
  const {dom} = cls, running = Boolean(cls.code);
  dom.root.classList.toggle('ad-class-on', running);
  dom.start.hidden = running;
  dom.code.textContent = running ? `Class ${spacedCode(cls.code)}` : '';
  for (const node of dom.bar.querySelectorAll('.ad-class-running')) node.hidden = !running;
  dom.joinButton.textContent = cls.boardShown ? 'Hide join code' : 'Show join code';
  dom.joinButton.setAttribute('aria-expanded', String(cls.boardShown));
  const room = cls.live.room, question = room && room.question;
  dom.reveal.disabled = !question || question.revealed;
  dom.join.hidden = !running || !cls.boardShown;
  dom.board.hidden = !dom.say.textContent && (!running || (!cls.boardShown && !question));
  drawJoin(cls);
  drawTally(cls, question);
  placeBoard(cls);
}

// The bar sits in the header's band (it costs the stepper no height); the board hangs under
// it at the right, and the page makes room beside it (in presenter view whenever a class runs,
// as the bar then stands over the board's column).
function placeBoard(cls) {
  const {dom} = cls, running = Boolean(cls.code);
  const top = Math.round(dom.bar.getBoundingClientRect().bottom) + 6;
  dom.board.style.top = `${top}px`;
  dom.board.style.maxHeight = `calc(100vh - ${top + 8}px)`;
  const presenting = document.body.classList.contains('ad-present');
  document.body.classList.toggle('ad-class-docked', running && (!dom.board.hidden || presenting));
}

function drawJoin(cls) {
  const {dom} = cls;
  if (!cls.code) return;
  const link = joinLink(dom.address.value, cls.code);
  dom.big.textContent = spacedCode(cls.code);
  dom.address.setAttribute('aria-invalid', String(!link));
  if (!link) {
    dom.link.textContent = 'Give the address as http://… or https://…';
    dom.qr.hidden = true;
    return;
  }
  dom.link.textContent = link;
  const source = '/class/qr.svg?link=' + encodeURIComponent(link);
  if (dom.qr.getAttribute('src') !== source) dom.qr.setAttribute('src', source);
  dom.qr.alt = `QR code of the join link ${link}`;
  dom.qr.hidden = false;
}

// The histogram: a row per choice with its letter, text, bar and count in words; the right one
// marked ✓ once revealed.
function drawTally(cls, question) {
  const box = cls.dom.tally;
  box.hidden = !question;
  if (!question) { box.replaceChildren(); return; }
  const view = tallyRows(question, cls.live.tally);
  const list = tag('ol', {class: 'ad-class-bars'});
  for (const row of view.rows) {
    const item = tag('li', {class: 'ad-class-row' + (row.right ? ' ad-class-right' : '')});
    const bar = tag('span', {class: 'ad-class-bar-fill'});
    bar.style.width = `${Math.round(100 * row.share)}%`;
    const track = tag('span', {class: 'ad-class-track', 'aria-hidden': 'true'});
    track.append(bar);
    item.append(tag('span', {class: 'ad-class-choice'}, `${row.letter} · ${row.text}`), track,
                tag('span', {class: 'ad-class-count'},
                    `${row.count} ${row.count === 1 ? 'answer' : 'answers'}` + (row.right ? ' ✓ right' : '')));
    list.append(item);
  }
  const parts = [tag('h3', {}, `Question ${question.id}, about step ${question.step}`),
                 tag('p', {class: 'ad-class-prompt'}, question.prompt), list,
                 tag('p', {class: 'ad-class-summary'}, tallySummary(view))];
  if (view.typed.length) {
    const typed = view.typed.map(({text, count}) => `${text} (${count})`).join(', ');
    parts.push(tag('p', {class: 'ad-class-typed'},
                   `Typed: ${typed}` + (view.other ? `, others (${view.other})` : '')));
  }
  if (question.revealed) parts.push(tag('p', {class: 'ad-class-revealed'}, 'Revealed to the class.'));
  box.replaceChildren(...parts);
}

// ---- a student ----

function studentDom(parent) {
  const root = tag('div', {class: 'ad-class ad-class-student ad-class-on'});
  const bar = tag('div', {class: 'ad-class-bar', role: 'group', 'aria-label': 'Live class'});
  bar.append(tag('span', {class: 'ad-class-state', role: 'status'}), button('rejoin', 'Rejoin'));
  const question = tag('section', {class: 'ad-class-question', hidden: '',
                                    'aria-label': "The lecturer's question"});
  const choices = tag('div', {class: 'ad-class-choices', role: 'group', 'aria-label': 'Choose one'});
  const form = tag('form', {class: 'ad-class-typed-answer'});
  const row = tag('div', {class: 'ad-class-field'});
  row.append(tag('input', {type: 'text', id: 'ad-class-number', inputmode: 'decimal',
                           autocomplete: 'off', spellcheck: 'false', class: 'ad-class-number'}),
             tag('button', {type: 'submit', class: 'ad-btn'}, 'Send'));
  form.append(tag('label', {for: 'ad-class-number'}, 'Or type a number'), row);
  question.append(tag('h3', {class: 'ad-class-prompt'}), choices, form,
                  tag('p', {class: 'ad-class-result', role: 'status'}));
  root.append(bar, tag('p', {class: 'ad-class-say', role: 'alert', hidden: ''}), question);
  parent.append(root);
  const $ = sel => root.querySelector(sel);
  return {root, question, choices, form, say: $('.ad-class-say'), state: $('.ad-class-state'),
          rejoin: $('[data-class=rejoin]'), prompt: $('.ad-class-prompt'),
          number: $('.ad-class-number'), result: $('.ad-class-result')};
}

function startStudent(parent, code) {
  const cls = {role: 'student', dom: studentDom(parent), code, live: {}, tries: 0,
               follow: newFollow(), heard: [], askedVersion: -1};
  cls.token = remembered(STUDENT_KEY);
  if (typeof cls.token !== 'string') {
    cls.token = tokenOf(crypto.getRandomValues(new Uint8Array(TOKEN_CHARS / 2)));
    remember(STUDENT_KEY, cls.token);
  }
  cls.answers = remembered(ANSWERS_KEY + code) || {};
  cls.dom.rejoin.addEventListener('click', () => {
    cls.askedVersion = -1;  // the room's program again, even if this page left it on its own
    moveTo(cls, rejoined(cls.follow));
    askProgram(cls);
  });
  cls.dom.choices.addEventListener('click', event => {
    const choice = event.target.closest('[data-choice]');
    if (choice) answer(cls, {choice: Number(choice.dataset.choice)});
  });
  cls.dom.form.addEventListener('submit', event => {
    event.preventDefault();
    const number = parseAnswer(cls.dom.number.value);
    if (number === null) say(cls, 'Type a number, e.g. 4, -0.5 or 1.2e-3 (or choose one above).');
    else answer(cls, {number});
  });
  cls.onStep = event => moveTo(cls, pageStepped(cls.follow, event.detail));
  document.addEventListener('ad-step', cls.onStep);
  globalThis.adClass = {role: 'student', following: () => cls.follow.following,
                        lecturerStep: () => cls.follow.step, heard: () => [...cls.heard]};
  connect(cls);
  drawStudent(cls);
  return cls;
}

// Where the follow rules send the stepper (a jump, as the slider's; nothing when it stays).
function moveTo(cls, {follow, go}) {
  cls.follow = follow;
  if (go !== null && globalThis.adStepper) globalThis.adStepper.goTo(go);
  drawStudent(cls);
}

// The room shows another program than this page: while following, the page asks Streamlit
// for it (once per room state); the steps wait until it is shown (programWaiting), then the
// follow rules take the stepper to the lecturer's step.
function askProgram(cls) {
  const room = cls.live.room, waiting = needsProgram(room, cls.data.shown);
  moveTo(cls, programWaiting(cls.follow, waiting));
  if (!cls.follow.following || !waiting || room.version <= cls.askedVersion) return;
  cls.askedVersion = room.version;
  cls.io.setTriggerValue('follow', {program: room.program, values: room.values,
                                    algorithm: room.algorithm});
}

function studentHeard(cls, message) {
  const room = cls.live.room;
  if ((message.type === 'room' || message.type === 'step') && room) {
    if (cls.heard[cls.heard.length - 1] !== room.step) cls.heard.push(room.step);
    askProgram(cls);
    moveTo(cls, lecturerStepped(cls.follow, room.step));
  }
  if (message.type === 'ended') say(cls, `${message.reason} The stepper is yours now.`);
  if (message.type === 'refused') say(cls, message.error);
  drawStudent(cls);
}

async function answer(cls, given) {
  const question = cls.live.room && cls.live.room.question;
  if (!question || question.revealed || cls.answers[question.id] || cls.answering) return;
  cls.answering = true;
  const sent = await post(`${roomPath(cls.code)}/answer`,
                          {student: cls.token, question: question.id, ...given});
  cls.answering = false;
  if (!sent.ok) { say(cls, sent.error); return; }
  say(cls, '');
  cls.answers[question.id] = given;
  remember(ANSWERS_KEY + cls.code, cls.answers);
  drawStudent(cls);
}

function drawStudent(cls) {
  const {dom, follow, live} = cls;
  const over = Boolean(live.ended || live.error);
  const code = spacedCode(String(cls.code).toUpperCase());
  const named = tag('span', {class: 'ad-class-nowrap'}, `class ${code}`);
  dom.state.replaceChildren(over ? 'Not following · ' : follow.following
    ? 'Following the lecturer · ' : 'On my own · ', named);
  dom.root.dataset.following = String(!over && follow.following);
  dom.rejoin.hidden = over || follow.following;
  drawQuestion(cls, over ? null : live.room && live.room.question);
}

function drawQuestion(cls, question) {
  const {dom} = cls;
  dom.question.hidden = !question;
  if (!question) return;
  const given = cls.answers[question.id];
  if (dom.question.dataset.question !== String(question.id)) {  // a new question: new buttons
    dom.question.dataset.question = String(question.id);
    dom.prompt.textContent = question.prompt;
    dom.number.value = '';
    dom.choices.replaceChildren(...question.choices.map((text, i) => tag('button',
      {type: 'button', class: 'ad-btn ad-class-pick', 'data-choice': String(i)}, `${LETTERS[i]} · ${text}`)));
  }
  const closed = Boolean(given) || question.revealed;
  for (const pick of dom.choices.children) {
    pick.disabled = closed;
    pick.setAttribute('aria-pressed', String(Boolean(given && given.choice === Number(pick.dataset.choice))));
    if (question.revealed && question.right === Number(pick.dataset.choice)) pick.dataset.right = 'true';
    else delete pick.dataset.right;
  }
  dom.form.hidden = closed;  // answered or revealed: the choices say it, the phone keeps room
  dom.question.dataset.state = question.revealed ? 'revealed' : given ? 'answered' : 'open';
  if (question.revealed) {
    const result = ownResult(question, given, verdict);
    dom.result.textContent = result.text;
    dom.result.dataset.right = String(result.right);
  } else {
    dom.result.textContent = given ? `Your answer is in (${'choice' in given
      ? LETTERS[given.choice] + ' · ' + question.choices[given.choice] : given.number}): wait for the reveal.`
      : 'Answer once: choose one, or type a number.';
    delete dom.result.dataset.right;
  }
}

export default function ({data, parentElement, setTriggerValue}) {
  let cls = parentElement.__adClass;
  if (!cls || cls.role !== data.role) {
    if (cls) cls.stop();
    cls = parentElement.__adClass = data.role === 'student'
      ? startStudent(parentElement, data.code) : startLecturer(parentElement);
    cls.stop = () => {
      document.removeEventListener('ad-step', cls.onStep);
      if (cls.observer) cls.observer.disconnect();
      cls.over = true;
      disconnect(cls);
      document.body.classList.remove('ad-class-docked');
      cls.dom.root.remove();
    };
  }
  cls.io = {setTriggerValue};
  cls.data = data;
  if (cls.role === 'lecturer') {
    if (cls.code && cls.sentShow && showChanged(cls.sentShow, data.shown)) sendShow(cls, data.step);
    drawLecturer(cls);
  } else {
    askProgram(cls);  // the room's program may be here now
  }
  return () => { cls.stop(); parentElement.__adClass = null; };
}
