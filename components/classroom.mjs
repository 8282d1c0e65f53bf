// A live class in the page: the rules of the room's client, pure, so node checks them
// (tests/components/classroom.test.mjs); class_panel.py puts quiz.mjs and this file before
// class_panel.js, which speaks to the server (classroom/routes.py) and draws.
//
// The lecturer's messages go out one at a time (each with a sequence number that grows, as the
// room demands); steps pressed while one is on its way are coalesced to the last, so a held
// key sends a few messages, never a backlog, and the last step is always sent. A student's
// page follows the room's step until the student steps on their own, and rejoins on request.

export const RETRY_MS = [500, 1000, 2000, 4000, 8000];  // a dropped stream is opened again after
export const TOKEN_CHARS = 32;  // a student's anonymous token: 32 hex digits (the room takes 16-64)
export const LETTERS = ['A', 'B', 'C', 'D'];

// The join link: the app's address as the lecturer gave it (a projector laptop may be reached
// at another address than the one its own browser uses), without its query or fragment, and
// the room's code. null when the address is not an http(s) address.
export function joinLink(address, code) {
  let url;
  try {
    url = new URL(String(address).trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return `${url.origin}${url.pathname}?class=${encodeURIComponent(code)}`;
}

// The code as the projector shows it: two groups of four, easier to read out and type.
export function spacedCode(code) {
  return code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
}

// The next sequence number: larger than the last and than any number this room's lecturer
// could have sent before a reload (milliseconds since 1970, times 1,000: below 2^53 until
// the year 2255), so a reloaded lecturer page carries on where the last one stopped.
export function nextSeq(last, now) {
  return Math.max(last + 1, Math.floor(now) * 1000);
}

// A message waiting to be sent joins the queue; a step or a show only replaces what it makes
// pointless, the message just before it: a step after a step (the last one counts), a show
// after a step or a show (a show carries its step), and a step after a show becomes that
// show's step. A question posed, revealed or a class ended is never dropped nor moved.
export function enqueue(pending, message) {
  const last = pending[pending.length - 1];
  const rest = pending.slice(0, -1);
  if (last && message.action === 'step' && last.action === 'step') return [...rest, message];
  if (last && message.action === 'show' && (last.action === 'step' || last.action === 'show')) {
    return [...rest, message];
  }
  if (last && message.action === 'step' && last.action === 'show') {
    return [...rest, {...last, step: message.step}];
  }
  return [...pending, message];
}

// Whether the lecturer's page must send a new show: the program, its values, the algorithm
// or the mode differ from what the room shows.
export function showChanged(room, shown) {
  if (!room) return true;
  return room.program !== shown.program || room.algorithm !== shown.algorithm ||
    room.mode !== shown.mode || !sameValues(room.values, shown.values);
}

export function sameValues(a, b) {
  const keys = Object.keys(a || {});
  return keys.length === Object.keys(b || {}).length && keys.every(k => a[k] === b[k]);
}

// A student's page following the room: {following, step (the lecturer's), page (the payload the
// stepper shows), waiting (the room shows another program than the page, asked for and not
// here yet: the steps wait for it), before (the payload shown when the wait began)}. Each function returns the new state and where the stepper
// must go (go: a step, or null to stay).
export function newFollow() {
  return {following: true, step: null, page: null, waiting: false, before: null};
}

// The room's step arrived (the first message, a step, or a new program's).
export function lecturerStepped(follow, step) {
  const next = {...follow, step};
  return {follow: next, go: follow.following && !follow.waiting ? step : null};
}

// The stepper drew a step: {target (the step asked for), page (its payload's id), last (its
// last step)}. While following, a new payload (a new program opened) is taken to the
// lecturer's step; a step the student asked for (another target on the same payload, not the
// lecturer's step cut to this walk's end) means they are on their own now.
export function pageStepped(follow, {target, page, last}) {
  const next = {...follow, page};
  const followed = target === Math.min(follow.step, last ?? Infinity);
  if (follow.waiting || !follow.following || follow.step === null || followed) {
    return {follow: next, go: null};
  }
  if (page !== follow.page) return {follow: next, go: follow.step};
  return {follow: {...next, following: false}, go: null};
}

// Whether the page waits for the room's program (asked for, not shown yet). The page's data
// may say it is shown before the stepper has drawn it: a page following goes to the
// lecturer's step once the stepper shows another payload than while it waited.
export function programWaiting(follow, waiting) {
  if (waiting) {
    return {follow: {...follow, waiting, before: follow.waiting ? follow.before : follow.page}, go: null};
  }
  const drawn = follow.waiting && follow.page !== follow.before;
  return {follow: {...follow, waiting},
          go: drawn && follow.following && follow.step !== null ? follow.step : null};
}

// Rejoin: follow again, from the lecturer's step now (once the room's program is shown).
export function rejoined(follow) {
  return {follow: {...follow, following: true}, go: follow.waiting ? null : follow.step};
}

// The room after a message from its stream (routes.py): the room's state, a step, the tally,
// the class's end, or a refusal. Returns {room, tally, ended, error}; a message of an unknown
// type changes nothing.
export function received(now, message) {
  switch (message.type) {
    case 'room':
      return {...now, room: message.room, tally: message.tally || (sameQuestion(now, message.room) ? now.tally : null)};
    case 'step':
      if (!now.room || message.version <= now.room.version) return now;
      return {...now, room: {...now.room, step: message.step, version: message.version}};
    case 'tally':
      return {...now, tally: message.tally};
    case 'ended':
      return {...now, ended: message.reason};
    case 'refused':
      return {...now, error: message.error};
    default:
      return now;
  }
}

function sameQuestion(now, room) {
  return Boolean(now.room && now.room.question && room.question && now.room.question.id === room.question.id);
}

// Whether a room state asks the Streamlit side for another program (the student's page shows
// ``shown``): a new program, values or algorithm. The mode is the lecturer's own.
export function needsProgram(room, shown) {
  return Boolean(room && room.program) && (room.program !== shown.program ||
    room.algorithm !== shown.algorithm || !sameValues(room.values, shown.values));
}

// The predict question of a step (the stepper's, quiz.mjs's shape: choices [text, code]) as the
// room takes it: the four texts and which one is right.
export function posedQuestion(question) {
  return {step: question.step, prompt: question.prompt,
          choices: question.choices.map(([text]) => text),
          right: question.choices.findIndex(([, code]) => code === 'right'),
          low: question.low, high: question.high};
}

// The tally as the lecturer's histogram: each choice's letter, text, count and share of the
// answers (the bar's length), its count said in words too, and the right one marked once
// revealed (with a ✓ and words: never by colour alone); the typed numbers most given.
export function tallyRows(question, tally) {
  const chosen = tally ? tally.choices : LETTERS.map(() => 0);
  const answered = tally ? tally.answered : 0;
  const rows = question.choices.map((text, i) => ({
    letter: LETTERS[i], text, count: chosen[i],
    share: answered ? chosen[i] / answered : 0,
    right: Boolean(question.revealed && question.right === i)}));
  const typed = tally ? tally.typed.map(([text, count]) => ({text, count})) : [];
  return {rows, typed, other: tally ? tally.other : 0, answered, right: tally ? tally.right : 0};
}

export function tallySummary({answered, right}) {
  if (!answered) return 'No answers yet.';
  return `${answered} answered · ${right} right (${Math.round(100 * right / answered)} %)`;
}

// A student's own result once the answer is revealed. ``answer``: {choice} or {number};
// ``verdict``: quiz.mjs's (a typed number is right within the question's interval).
export function ownResult(question, answer, verdict) {
  const rightText = `${LETTERS[question.right]}: ${question.choices[question.right]}`;
  if (!answer) return {right: false, text: `The answer is ${rightText}. You did not answer.`};
  const right = 'choice' in answer ? answer.choice === question.right
    : verdict({low: question.low, high: question.high, mistakes: []}, answer.number).right;
  const given = 'choice' in answer ? `${LETTERS[answer.choice]}: ${question.choices[answer.choice]}`
    : String(answer.number);
  return {right, text: right ? `✓ Right: you answered ${given}.`
    : `✗ Not quite: you answered ${given}. The answer is ${rightText}.`};
}

// How long to wait before opening a dropped stream again (the n-th try in a row).
export function retryDelay(tries) {
  return RETRY_MS[Math.min(tries, RETRY_MS.length - 1)];
}

// A fresh anonymous token: hex digits of ``bytes`` random bytes (crypto.getRandomValues).
export function tokenOf(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('').slice(0, TOKEN_CHARS);
}
