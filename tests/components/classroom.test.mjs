// The live class's page rules (components/classroom.mjs, run by test_classroom_rule.py through
// `node --test`): the join link, the lecturer's queue of messages (coalesced steps, growing
// sequence numbers), following the lecturer and rejoining, the room's stream, the tally's
// histogram and a student's own result.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {enqueue, joinLink, lecturerStepped, needsProgram, newFollow, nextSeq, ownResult,
        pageStepped, posedQuestion, programWaiting, received, rejoined, retryDelay, sameValues, showChanged,
        spacedCode, tallyRows, tallySummary, tokenOf} from '../../components/classroom.mjs';
import {verdict} from '../../components/quiz.mjs';

test('the join link is the app address as given, its query and fragment left off, and the code', () => {
  assert.equal(joinLink('http://127.0.0.1:8501/', 'ABCD2345'), 'http://127.0.0.1:8501/?class=ABCD2345');
  assert.equal(joinLink(' https://lab.example.org/autodiff?step=4&program=x#top ', 'ABCD2345'),
               'https://lab.example.org/autodiff?class=ABCD2345');
  assert.equal(joinLink('http://192.168.1.20:8501', 'ABCD2345'), 'http://192.168.1.20:8501/?class=ABCD2345');
  for (const bad of ['', 'localhost:8501', 'javascript:alert(1)', 'ftp://host/']) {
    assert.equal(joinLink(bad, 'ABCD2345'), null, bad);
  }
});

test('a link never carries anything but the code', () => {
  const link = joinLink('http://h/?secret=s3cr3t', 'ABCD2345');
  assert.ok(!link.includes('s3cr3t'));
});

test('the code is read out in two groups of four', () => {
  assert.equal(spacedCode('ABCD2345'), 'ABCD-2345');
});

test('sequence numbers grow, and a reloaded page starts above anything sent before', () => {
  assert.equal(nextSeq(0, 1_700_000_000_000), 1_700_000_000_000_000);
  assert.equal(nextSeq(1_700_000_000_000_000, 1_700_000_000_000), 1_700_000_000_000_001);
  let seq = 0;
  const sent = [];
  for (let i = 0; i < 5; i++) sent.push(seq = nextSeq(seq, 1_700_000_000_000));
  assert.deepEqual(sent, [...sent].sort((a, b) => a - b));
  assert.equal(new Set(sent).size, 5);
  assert.ok(nextSeq(0, 4_102_444_800_000) < 2 ** 53);  // the year 2100
});

test('steps pressed while a message is on its way are coalesced to the last', () => {
  let pending = [];
  for (let k = 1; k <= 10; k++) pending = enqueue(pending, {action: 'step', step: k});
  assert.deepEqual(pending, [{action: 'step', step: 10}]);
});

test('a show carries its step; a step after a show becomes its step', () => {
  const show = {action: 'show', program: 'p', step: 0};
  let pending = enqueue([{action: 'step', step: 3}], show);
  assert.deepEqual(pending, [show]);
  pending = enqueue(pending, {action: 'step', step: 2});
  assert.deepEqual(pending, [{...show, step: 2}]);
});

test('questions, reveals and the end are never dropped nor moved past a step', () => {
  const pose = {action: 'pose', question: {}};
  let pending = enqueue([], {action: 'step', step: 1});
  pending = enqueue(pending, pose);
  pending = enqueue(pending, {action: 'step', step: 2});
  pending = enqueue(pending, {action: 'step', step: 3});
  pending = enqueue(pending, {action: 'reveal'});
  pending = enqueue(pending, {action: 'end'});
  assert.deepEqual(pending.map(m => m.action), ['step', 'pose', 'step', 'reveal', 'end']);
  assert.equal(pending[2].step, 3);
});

test('the lecturer sends a show when the program, values, algorithm or mode change', () => {
  const room = {program: 'a = Var(1)', values: {a: 1}, algorithm: 'route-stack', mode: 'watch'};
  assert.equal(showChanged(room, {...room}), false);
  assert.equal(showChanged(room, {...room, values: {a: 2}}), true);
  assert.equal(showChanged(room, {...room, algorithm: 'forward'}), true);
  assert.equal(showChanged(room, {...room, program: 'a = Var(2)'}), true);
  assert.equal(showChanged(null, room), true);
  assert.equal(sameValues({a: 1, b: 2}, {b: 2, a: 1}), true);
  assert.equal(sameValues({a: 1}, {a: 1, b: 2}), false);
});

test('a student following goes to each step of the lecturer', () => {
  let {follow, go} = lecturerStepped(newFollow(), 4);
  assert.equal(go, 4);
  ({follow, go} = pageStepped(follow, {target: 4, page: 'p1'}));  // the stepper drew it
  assert.equal(go, null);
  assert.equal(follow.following, true);
  ({follow, go} = lecturerStepped(follow, 9));
  assert.equal(go, 9);
});

test('stepping on one\'s own leaves following; the lecturer\'s steps are kept; Rejoin jumps there', () => {
  let {follow} = pageStepped(lecturerStepped(newFollow(), 4).follow, {target: 4, page: 'p1'});
  let go;
  ({follow, go} = pageStepped(follow, {target: 5, page: 'p1'}));  // Next pressed
  assert.equal(follow.following, false);
  assert.equal(go, null);
  ({follow, go} = lecturerStepped(follow, 7));
  assert.equal(go, null);  // on my own: the page stays
  ({follow, go} = rejoined(follow));
  assert.deepEqual([follow.following, go], [true, 7]);
});

test('a new program opening (another payload) is taken to the lecturer\'s step, not left', () => {
  let {follow} = pageStepped(lecturerStepped(newFollow(), 6).follow, {target: 6, page: 'p1'});
  let go;
  ({follow, go} = pageStepped(follow, {target: 0, page: 'p2'}));
  assert.deepEqual([follow.following, go], [true, 6]);
});

test('a late joiner whose stepper draws before the room arrives lands on the room\'s step', () => {
  let {follow, go} = pageStepped(newFollow(), {target: 0, page: 'p1'});
  assert.equal(go, null);
  ({follow, go} = lecturerStepped(follow, 8));
  assert.equal(go, 8);
});

test('while the room\'s program is on its way, steps wait for it: none is taken as the student\'s', () => {
  // the page shows the app's first example (4 steps); the room is at step 8 of another program
  let {follow} = pageStepped(newFollow(), {target: 0, page: 'first'});
  let go;
  ({follow, go} = programWaiting(follow, true));
  assert.equal(go, null);
  ({follow, go} = lecturerStepped(follow, 8));
  assert.equal(go, null);  // not on the old program, which has no step 8
  ({follow, go} = pageStepped(follow, {target: 4, page: 'first'}));  // e.g. a step clamped
  assert.deepEqual([follow.following, go], [true, null]);
  ({follow, go} = pageStepped(follow, {target: 0, page: 'room'}));  // the room's program drawn
  assert.equal(go, null);
  ({follow, go} = programWaiting(follow, false));  // and the page knows it is the room's
  assert.deepEqual([follow.following, go], [true, 8]);
});

test('the page may know the room\'s program is shown before the stepper draws it', () => {
  let {follow} = lecturerStepped(pageStepped(newFollow(), {target: 0, page: 'first', last: 4}).follow, 8);
  let go;
  ({follow} = programWaiting(follow, true));
  ({follow, go} = programWaiting(follow, false));  // the data first: the old walk is still drawn
  assert.equal(go, null);
  ({follow, go} = pageStepped(follow, {target: 4, page: 'first', last: 4}));  // a step cut to its end
  assert.deepEqual([follow.following, go], [true, null]);
  ({follow, go} = pageStepped(follow, {target: 0, page: 'room', last: 20}));  // then the new walk
  assert.deepEqual([follow.following, go], [true, 8]);
});

test('Rejoin waits for the room\'s program too', () => {
  let {follow} = programWaiting({...newFollow(), following: false, step: 5, page: 'own'}, true);
  let go;
  ({follow, go} = rejoined(follow));
  assert.deepEqual([follow.following, go], [true, null]);
  ({follow, go} = pageStepped(follow, {target: 0, page: 'room', last: 20}));
  assert.equal(go, null);
  ({follow, go} = programWaiting(follow, false));
  assert.equal(go, 5);
});

const ROOM = {code: 'ABCD2345', version: 3, program: 'p', values: {}, algorithm: 'route-stack',
              mode: 'watch', step: 2, ended: false, question: null};

test('the stream\'s messages make the room: a step only when newer', () => {
  let now = received({}, {type: 'room', room: ROOM});
  now = received(now, {type: 'step', step: 5, version: 4});
  assert.equal(now.room.step, 5);
  now = received(now, {type: 'step', step: 3, version: 4});  // sent before: ignored
  assert.equal(now.room.step, 5);
  now = received(now, {type: 'ended', reason: 'The lecturer ended this class.'});
  assert.equal(now.ended, 'The lecturer ended this class.');
  assert.equal(received(now, {type: 'nonsense'}), now);
  assert.equal(received({}, {type: 'refused', error: 'No class has that code'}).error,
               'No class has that code');
});

test('a tally is kept while its question stays, dropped for a new one', () => {
  const asked = {...ROOM, question: {id: 1}};
  let now = received({}, {type: 'room', room: asked, tally: {answered: 2}});
  now = received(now, {type: 'room', room: {...asked, version: 5}});
  assert.deepEqual(now.tally, {answered: 2});
  now = received(now, {type: 'room', room: {...asked, version: 6, question: {id: 2}}});
  assert.equal(now.tally, null);
});

test('a student asks for the room\'s program only when it differs from the one shown', () => {
  const shown = {program: 'p', values: {a: 1}, algorithm: 'route-stack'};
  const room = {...ROOM, values: {a: 1}};
  assert.equal(needsProgram(room, shown), false);
  assert.equal(needsProgram({...room, program: 'q'}, shown), true);
  assert.equal(needsProgram({...room, values: {a: 2}}, shown), true);
  assert.equal(needsProgram({...room, algorithm: 'forward'}, shown), true);
  assert.equal(needsProgram({...room, program: ''}, shown), false);  // nothing shown yet
});

// the stepper's question of step 1 of d = a * (a + b) (quiz.test.mjs's ROUTE)
const ROUTE = {step: 1, prompt: "Pop along d→c: what is the route value of c's entry?",
               right: '4', low: 3.9995, high: 4.0005,
               choices: [['1', 'local'], ['4', 'right'], ['-4', 'sign'], ['5', 'added']]};

test('the predict question goes to the room as four texts and the right one\'s index', () => {
  assert.deepEqual(posedQuestion(ROUTE), {step: 1, prompt: ROUTE.prompt,
    choices: ['1', '4', '-4', '5'], right: 1, low: 3.9995, high: 4.0005});
});

const POSED = {id: 1, step: 1, prompt: ROUTE.prompt, choices: ['1', '4', '-4', '5'], revealed: false};

test('the tally as a histogram: counts in words, shares for the bars, right marked once revealed', () => {
  const tally = {question: 1, answered: 4, right: 3, choices: [1, 3, 0, 0], typed: [], other: 0};
  const open = tallyRows(POSED, tally);
  assert.deepEqual(open.rows.map(r => [r.letter, r.text, r.count, r.share, r.right]),
                   [['A', '1', 1, 0.25, false], ['B', '4', 3, 0.75, false],
                    ['C', '-4', 0, 0, false], ['D', '5', 0, 0, false]]);
  const shown = tallyRows({...POSED, revealed: true, right: 1}, tally);
  assert.deepEqual(shown.rows.map(r => r.right), [false, true, false, false]);
  assert.equal(tallySummary(shown), '4 answered · 3 right (75 %)');
  assert.equal(tallySummary(tallyRows(POSED, null)), 'No answers yet.');
});

test('typed numbers are listed with their counts', () => {
  const tally = {question: 1, answered: 3, right: 2, choices: [0, 0, 0, 0],
                 typed: [['4', 2], ['5', 1]], other: 0};
  assert.deepEqual(tallyRows(POSED, tally).typed, [{text: '4', count: 2}, {text: '5', count: 1}]);
});

test('a student\'s own result, said in words with a mark', () => {
  const revealed = {...POSED, revealed: true, right: 1, low: 3.9995, high: 4.0005};
  assert.deepEqual(ownResult(revealed, {choice: 1}, verdict),
                   {right: true, text: '✓ Right: you answered B: 4.'});
  assert.deepEqual(ownResult(revealed, {choice: 3}, verdict),
                   {right: false, text: '✗ Not quite: you answered D: 5. The answer is B: 4.'});
  assert.equal(ownResult(revealed, {number: 4.0001}, verdict).right, true);
  assert.equal(ownResult(revealed, {number: 5}, verdict).right, false);
  assert.deepEqual(ownResult(revealed, undefined, verdict),
                   {right: false, text: 'The answer is B: 4. You did not answer.'});
});

test('a dropped stream is opened again, waiting longer each time, up to a bound', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 5, 40].map(retryDelay), [500, 1000, 2000, 4000, 8000, 8000, 8000]);
});

test('a token is 32 hex digits, as the room takes them', () => {
  const token = tokenOf(new Uint8Array(16).map((_, i) => i * 17));
  assert.match(token, /^[0-9a-f]{32}$/);
});
