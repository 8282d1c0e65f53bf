// The stepper in the page: replays the trace the server computed (components/replay.py) and
// draws every step here, with no server round trip. One function, show(k), draws the graph
// and every panel, so they always agree. Key presses go through act(), which moves the step
// the user asked for (the target) by one per press: none is dropped, and a step whose window
// has not arrived yet is drawn as soon as it does. The page owns the step: it writes ?step=
// into the address itself, and the server hears it only when a rerun will use it (see
// handOver).

// Which key steps how, and when a key is the stepper's at all: keys.mjs (keyAction,
// focusKind); what a step changes: step_changes.mjs (changedEntries, edgeStatesAt,
// routeNodes, upper); a ledger line and a count: ledger.mjs (ledgerParts, num); predict mode's
// verdicts: quiz.mjs (asksFirst, choiceVerdict, parseAnswer, revealText, verdict); practice mode:
// practice.mjs (its box, asking and checking; mountPractice, practiceAsks, setPractice…); the
// Steps tab's rows: step_list.mjs (listedSteps, stepRow); the graph's box on a phone and whether
// the graph moves: stage.mjs (narrowHeight, graphMoves); the first visit's tour: tour.mjs.
// stepper.py puts them before this file.
const KEY_HELP = '→ Space PgDn next · ← PgUp back · Home End · P play · ' +
                 'F whole graph ⇄ follow · L legend · V presenter view · Q predict · N new exercise';
// KaTeX, served by Streamlit from the project's static/katex (no CDN): the chain rule's TeX
const KATEX = 'app/static/katex/';
const SPEEDS = [0.5, 1, 2, 3];  // seconds per step while playing
const REPORT_MS = 300;          // quiet time before the step goes into the address (or is reported)
const RETRY_MS = 5000;          // a window asked for and not received is asked for again
const NARROW_PX = 620;     // a stage narrower than this puts the panels under the graph
const COMPACT_PX = 900;    // narrower: the view note is left out (the button and legend say it)
const MIN_STAGE_PX = 380;  // the stage never gets shorter than this (the page scrolls)
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name]);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

// "? Tour", shortened to "?" where the step row is short of room (stepper.css), its name
// the same for a screen reader either way
function tourButton(button) {
  const tour = button('tour', '?', 'A short tour of the page: what each part shows', 'ad-tool');
  tour.setAttribute('aria-label', '? Tour');
  tour.append(el('span', {class: 'ad-tour-word'}, ' Tour'));
  return tour;
}

function buildDom(parent) {
  const root = el('div', {class: 'ad-stepper'});
  const bar = el('div', {class: 'ad-bar', role: 'toolbar', 'aria-label': 'Step controls'});
  const button = (act, text, title, extra = '') =>
    el('button', {type: 'button', 'data-act': act, title, class: 'ad-btn ' + extra}, text);
  const speed = el('select', {class: 'ad-select ad-speed ad-tool', 'aria-label': 'Seconds per step',
                              title: 'Seconds per step while playing'});
  for (const s of SPEEDS) speed.append(el('option', {value: s}, `${s} s`));
  speed.value = '1';
  bar.append(button('home', 'Home', 'Back to step 0 (Home)', 'ad-tool'),
             button('back', '◀ Back', 'One step back (← or PageUp)', 'ad-tool'),
             button('next', 'Next ▶', 'One step forward (→, Space or PageDown)', 'ad-primary ad-tool'),
             button('end', 'End', 'The last step (End)', 'ad-tool'),
             button('play', 'Play ▶', 'Step by itself; stops at the end (P)', 'ad-tool'), speed,
             button('fit', 'Whole graph', 'Show the whole graph, or follow the pop again (F)', 'ad-tool'),
             button('predict', 'Predict', 'Predict each pop before it is shown (Q)', 'ad-tool'));
  const slider = el('input', {type: 'range', id: 'ad-slider', class: 'ad-slider', min: 0,
                              max: 1, value: 0, 'aria-label': 'Step'});
  const where = el('div', {class: 'ad-where'});
  // Practice sits here, where the slider gives way, so the bar above keeps one line at 1024 px
  where.append(el('span', {id: 'ad-counter', class: 'ad-counter', 'aria-live': 'polite'}), slider,
               button('practice', 'Practice', 'Your turn: work out each pop yourself (N: a new exercise)',
                      'ad-tool'),
               button('legend', 'Legend', 'What the marks mean, and the keys (L)'),
               button('present', 'Present', 'Presenter view: the graph and the panels only (V)'),
               button('move', 'Move graph', 'Let a swipe or the wheel over the graph move and zoom it, ' +
                      'instead of scrolling the page', 'ad-tool ad-move'),
               tourButton(button));
  const stage = el('div', {class: 'ad-stage'});
  const net = el('div', {class: 'ad-net', role: 'img'});
  stage.append(net, legendBox());
  bar.append(el('span', {id: 'ad-view', class: 'ad-view ad-tool'}));
  const side = el('div', {class: 'ad-side'});
  const tabs = el('div', {class: 'ad-tabs', role: 'tablist'});
  tabs.append(el('button', {type: 'button', role: 'tab', 'data-tab': 'ledger', class: 'ad-tab',
                            'aria-selected': 'true'}, 'Route ledger'),
              el('button', {type: 'button', role: 'tab', 'data-tab': 'gradients', class: 'ad-tab',
                            'aria-selected': 'false'}, 'Gradients check'),
              el('button', {type: 'button', role: 'tab', 'data-tab': 'chain', class: 'ad-tab',
                            'aria-selected': 'false'}, 'Chain rule'),
              el('button', {type: 'button', role: 'tab', 'data-tab': 'steps', class: 'ad-tab',
                            'aria-selected': 'false'}, 'Steps'));
  // focusable, so a keyboard can scroll a long ledger (↑ ↓: the stepper's keys are others)
  const panels = el('div', {class: 'ad-panels', tabindex: '0', role: 'region',
                            'aria-label': 'Route ledger, gradients check, chain rule and steps'});
  panels.append(el('div', {id: 'ad-ledger', class: 'ad-panel', role: 'tabpanel'}),
                el('div', {id: 'ad-gradients', class: 'ad-panel', role: 'tabpanel', hidden: ''}),
                el('div', {id: 'ad-chain', class: 'ad-panel ad-chain', role: 'tabpanel', hidden: ''}),
                el('div', {id: 'ad-steps', class: 'ad-panel', role: 'tabpanel', hidden: ''}));
  side.append(quizBox(), el('p', {id: 'ad-narration', class: 'ad-narration', 'aria-live': 'polite'}),
              el('div', {id: 'ad-stack', class: 'ad-panel'}), tabs, panels);
  const main = el('div', {class: 'ad-main'});
  main.append(stage, side);
  root.append(bar, where, el('p', {id: 'ad-loading', class: 'ad-loading', hidden: ''}), main);
  parent.append(root);
  const $ = sel => root.querySelector(sel);
  return {root, bar, slider, speed, net, main, tabs, panels, counter: $('#ad-counter'),
          narration: $('#ad-narration'), stack: $('#ad-stack'), gradients: $('#ad-gradients'),
          ledger: $('#ad-ledger'), loading: $('#ad-loading'), play: $('[data-act=play]'),
          fit: $('[data-act=fit]'), view: $('#ad-view'), legend: $('#ad-legend'),
          chain: $('#ad-chain'), quiz: $('#ad-quiz'), prompt: $('#ad-quiz-prompt'),
          steps: $('#ad-steps'), move: $('[data-act=move]'),
          answer: $('#ad-quiz-input'), ask: $('#ad-quiz-ask'), choices: $('#ad-quiz-choices'),
          result: $('#ad-quiz-result'), score: $('#ad-quiz-score'),
          predict: $('[data-act=predict]')};
}

// Predict mode's box: the question of the step about to be shown (a number typed, or one of
// four choices, said in a live region), and the score; the reveal is the narration's.
function quizBox() {
  const box = el('div', {id: 'ad-quiz', class: 'ad-quiz', hidden: '', role: 'group',
                         'aria-label': 'Predict the next step'});
  const ask = el('div', {id: 'ad-quiz-ask', class: 'ad-quiz-ask', hidden: ''});
  const row = el('div', {class: 'ad-quiz-row'});
  const label = el('label', {class: 'ad-quiz-label'}, 'Your answer ');
  // the question is the field's description: said when ask() moves the focus there, as the
  // live region (shown in the same moment) may not be
  label.append(el('input', {id: 'ad-quiz-input', type: 'text', inputmode: 'decimal',
                            autocomplete: 'off', spellcheck: 'false', class: 'ad-quiz-input',
                            'aria-describedby': 'ad-quiz-prompt', 'data-keeps-enter': 'true'}));
  row.append(label, el('button', {type: 'button', 'data-quiz': 'reveal', class: 'ad-btn ad-primary'},
                       'Reveal (Enter)'),
             el('button', {type: 'button', 'data-quiz': 'skip', class: 'ad-btn'}, 'Skip'));
  ask.append(el('p', {id: 'ad-quiz-prompt', class: 'ad-quiz-prompt', 'aria-live': 'assertive'}), row,
             el('div', {id: 'ad-quiz-choices', class: 'ad-quiz-choices', role: 'group',
                        'aria-label': 'Or choose one'}));
  box.append(ask, el('p', {id: 'ad-quiz-result', class: 'ad-quiz-result', 'aria-live': 'polite'}),
             el('p', {id: 'ad-quiz-score', class: 'ad-quiz-score'}));
  return box;
}

// The legend: every mark a step can show, drawn with the graph's own colours (view_model.py).
function legendBox() {
  const box = el('div', {id: 'ad-legend', class: 'ad-legend', hidden: '', role: 'note',
                         'aria-label': 'Legend'});
  box.append(el('h4', {}, 'Legend'));
  const list = el('dl');
  const row = (sample, cls, text) => {
    list.append(el('dt', {class: 'ad-sample ' + cls}, sample), el('dd', {}, text));
  };
  row('▶', 'ad-s-popped', 'popped now (yellow, thick border)');
  row('×2', 'ad-s-stack', 'waiting on the stack: ×n entries');
  row('✓', 'ad-s-complete', 'complete: every route counted');
  row('grad 3 …', 'ad-s-plain', 'some routes counted, more to come');
  row('', 'ad-s-route', 'thick: the route of this pop');
  row('', 'ad-s-pushed', 'dashed: pushed by this pop');
  row('y→…→c→b', 'ad-s-text', 'a long route, cut (hover it in the ledger for all of it)');
  row('+ … 5 more', 'ad-s-text', 'routes left out: the downloads have them all');
  row('▶ tangent 11', 'ad-s-popped', 'forward mode: visited now, its tangent in this pass');
  box.append(list, el('p', {class: 'ad-keys'}, 'Keys: ' + KEY_HELP));
  return box;
}

// ---- the replayed trace: cells, steps and ledger lines, appended window by window ----

function newStore(base) {
  const perNode = () => base.keys.map(() => []);
  return {cellNode: [], cellParent: [], cellBelow: [], cellValue: [],
          cellRoute: [], pop: [], head: [], push: [], pushn: [], depth: [], say: [],
          lineStep: perNode(), lineCell: perNode(), lineTotal: perNode(), lineNumber: perNode(),
          markStep: perNode(), markCode: perNode(), markN: perNode(),
          edgeStep: base.edges.map(() => []), edgeCode: base.edges.map(() => []),
          edgesChanged: new Set(), quiz: new Map(), tasks: new Map(), chain: new Map(), windows: 0,
          steps: 0};
}

function append(store, w) {
  if (w.start !== store.steps || w.first_cell !== store.cellNode.length) return false;
  const c = w.cells, s = w.steps, l = w.lines;
  for (let i = 0; i < c.node.length; i++) {
    store.cellNode.push(c.node[i]); store.cellParent.push(c.parent[i]);
    store.cellBelow.push(c.below[i]); store.cellValue.push(c.value[i]);
    store.cellRoute.push(c.route[i]);
  }
  for (const name of ['pop', 'head', 'push', 'pushn', 'depth', 'say']) {
    for (const x of s[name]) store[name].push(x);
  }
  for (let i = 0; i < l.step.length; i++) {
    const n = l.node[i];
    store.lineStep[n].push(l.step[i]); store.lineCell[n].push(l.cell[i]);
    store.lineTotal[n].push(l.total[i]); store.lineNumber[n].push(l.number[i]);
  }
  const m = w.marks;
  for (let i = 0; i < m.step.length; i++) {
    const n = m.node[i];
    store.markStep[n].push(m.step[i]); store.markCode[n].push(m.mark[i]); store.markN[n].push(m.n[i]);
  }
  const e = w.edges;
  for (let i = 0; i < e.step.length; i++) {
    const n = e.edge[i];
    store.edgeStep[n].push(e.step[i]); store.edgeCode[n].push(e.state[i]); store.edgesChanged.add(n);
  }
  const q = w.quiz;
  q.step.forEach((k, i) => store.quiz.set(k, {
    step: k, prompt: q.prompt[i], right: q.right[i], low: q.low[i], high: q.high[i],
    choices: q.choices[i], mistakes: q.mistakes[i], why: q.why[i]}));
  for (const task of w.tasks) store.tasks.set(task.step, task);
  w.chain.step.forEach((k, i) => store.chain.set(k, w.chain.equations[i]));
  store.steps = w.stop;
  store.windows += 1;
  return true;
}

function route(store, cell) {  // node indices from the output (or the visit) down to the cell
  return routeNodes(store.cellNode, store.cellParent, cell);
}

// Everything about step k, read from the store (nothing is computed but lookups): a node's
// ledger size and gradient are those of its last line at or before k, its mark (what it shows,
// decided by the server: view_model.node_mark) and its entries on the stack its last mark's,
// an edge's state (decided by the server: view_model.edge_states) its last one.
function snapshot(base, store, k) {
  const pop = store.pop[k];
  const top = [];
  for (let c = store.head[k]; c >= 0 && top.length < base.limits.stack; c = store.cellBelow[c]) {
    top.push(c);
  }
  // forward mode: every node's ledger starts again at its pass's first step (base.passes)
  const pass = upper(base.passes, k), since = pass ? base.passes[pass - 1] : 0;
  const firsts = base.keys.map((_, i) => since ? upper(store.lineStep[i], since - 1) : 0);
  const sizes = base.keys.map((_, i) => upper(store.lineStep[i], k) - firsts[i]);
  const marked = base.keys.map((_, i) => upper(store.markStep[i], k) - 1);
  const mark = i => base.marks[store.markCode[i][marked[i]]];
  const onStack = i => store.markN[i][marked[i]];
  const complete = base.keys.map((_, i) => mark(i).complete);
  const path = pop >= 0 ? route(store, pop) : [];
  const pushed = store.cellNode.slice(store.push[k], store.push[k] + store.pushn[k]);
  // the nodes the pushed cells came from: forward mode's visit reads its inputs' tangents
  // (a backward step's pushed cells come from the popped node itself)
  const from = store.cellParent.slice(store.push[k], store.push[k] + store.pushn[k])
    .filter(c => c >= 0).map(c => store.cellNode[c]);
  const grad = i => i === base.one ? '1' : sizes[i] ? store.lineTotal[i][firsts[i] + sizes[i] - 1] : '0';
  const edges = edgeStatesAt(store.edgesChanged, store.edgeStep, store.edgeCode, base.edgeIds,
                             base.edge_states, k);
  return {k, pop, path, top, sizes, firsts, mark, onStack, complete, pushed, from, grad, edges};
}

// ---- drawing one step ----

// A node's text at a step: its state, its label (with its mark's badge) and hover text.
function nodeText(base, snap, i) {
  const mark = snap.mark(i), values = {g: snap.grad(i), n: snap.onStack(i)};
  const badge = fill(mark.badge, values);
  return {status: mark.state, label: badge ? `${base.heads[i]}\n${badge}` : base.heads[i],
          title: `${base.tips[i]}\n${base.words.so_far} = ${values.g}\n${fill(mark.words, values)}`};
}

// Restyle only what differs from the step drawn before, whichever step that was: a node whose
// text differs, an edge whose state differs (only the edges that are not plain, those of the
// step drawn and of this one, are compared).
function restyle(app, snap) {
  const base = app.base, drawn = app.drawn;
  const nodes = [];
  base.keys.forEach((key, i) => {
    if (!base.drawn[i]) return;
    const text = nodeText(base, snap, i), sign = text.status + '\n' + text.label + '\n' + text.title;
    if (drawn.nodes[i] === sign) return;
    drawn.nodes[i] = sign;
    nodes.push({id: key, label: text.label, title: text.title,
                ...base.looks[base.node_looks[i][text.status]], state: text.status});
  });
  const edges = changedEntries(drawn.edges, snap.edges, 'plain').map(
    ([id, status]) => ({id, ...base.edge_looks[status], state: status}));
  drawn.edges = snap.edges;
  if (nodes.length || edges.length) applyStyles(app, nodes, edges);
  return nodes.length + edges.length > 0;
}

// What the page has drawn: every node's text, and the edges that are not plain. Forgotten
// whenever vis is handed whole nodes and edges again (a new graph, or new values): its nodes
// are then all restyled, and its edges are those of step 0, as the server drew them.
function forgetDrawn(app) {
  const edges = app.base.edges.filter(e => e.state !== 'plain').map(e => [e.id, e.state]);
  app.drawn = {nodes: [], edges: new Map(edges)};
}

// ---- vis internals a step uses (vis-network 9.1.2, the copy pyvis ships) ----
// A DataSet update makes vis walk every node and edge (clusters, physics, value ranges) and
// redraw the whole canvas at once, each time: at 1,322 nodes most of a step. A step only
// restyles, so the DataSets are updated with vis's listeners off (they stay what the page
// drew: tooltips and the tests read them), vis's own items get the new options as its
// listeners would give them, and show() asks for one redraw (redrawSoon).
function applyStyles(app, nodes, edges) {
  const net = app.net, body = net.body;
  quietly(app.nodes, net.nodesHandler.nodesListeners.update, () => app.nodes.update(nodes));
  quietly(app.edges, net.edgesHandler.edgesListeners.update, () => app.edges.update(edges));
  const ctx = net.canvas.getContext();
  for (const item of nodes) {
    const node = body.nodes[item.id];
    node.setOptions(item);
    node.updateBoundingBox(ctx);  // its new label's size: the follow view frames it now
  }
  for (const item of edges) {
    const edge = body.edges[item.id];
    edge.disconnect();
    edge.setOptions(app.edges.get(item.id));
    edge.connect();
  }
}

// One redraw, on the next frame; none if an animated move (the follow view) draws it anyway.
function redrawSoon(net) { net.body.emitter.emit('_requestRedraw'); }

function quietly(dataSet, listener, update) {
  dataSet.off('update', listener);
  try { update(); } finally { dataSet.on('update', listener); }
}

// vis draws every edge, with its label, at every frame, in view or not; the page draws the
// labels a second time (over the arrowheads). Only the edges near the view are drawn: on a
// followed 1,322-node graph, a few dozen of 1,650.
function edgesInView(net) {
  const body = net.body, canvas = net.canvas.frame.canvas;
  const from = net.canvas.DOMtoCanvas({x: 0, y: 0});
  const to = net.canvas.DOMtoCanvas({x: canvas.clientWidth, y: canvas.clientHeight});
  const shown = [];
  for (const id of body.edgeIndices) {
    const edge = body.edges[id];
    if (!edge.connected) continue;
    const a = edge.from, b = edge.to;
    // a label or a curve (x*x) reaches past its ends: by at most half the edge, and a label
    const pad = EDGE_PAD + Math.max(Math.abs(a.x - b.x), Math.abs(a.y - b.y)) / 2;
    if (Math.max(a.x, b.x) + pad >= from.x && Math.min(a.x, b.x) - pad <= to.x &&
        Math.max(a.y, b.y) + pad >= from.y && Math.min(a.y, b.y) - pad <= to.y) shown.push(edge);
  }
  return shown;
}
const EDGE_PAD = 120;  // vis px: half the widest edge label (view_model.SIZES.label_width), and more

function drawOnlyInView(net) {
  net.renderer._drawEdges = ctx => { for (const edge of edgesInView(net)) edge.draw(ctx); };
  net.renderer._drawArrows = ctx => { for (const edge of edgesInView(net)) edge.drawArrows(ctx); };
}

// Text that may wrap only after an arrow of a route, never inside a number or a name.
function routed(text) {
  const frag = document.createDocumentFragment(), parts = String(text).split('→');
  parts.forEach((part, i) => {
    if (i) frag.append('→', el('wbr'));
    frag.append(part);
  });
  return frag;
}

function nowrap(text, cls = 'ad-num') { return el('span', {class: cls}, text); }

// A table; each cell also carries its column's name (data-label), which a table too wide
// for its box shows in front of the cell once its rows are laid out as lines (stepper.css).
function table(head, rows, cls, titles = {}) {
  const t = el('table', {class: cls});
  const tr = el('tr');
  for (const h of head) tr.append(el('th', titles[h] ? {title: titles[h]} : {}, h));
  t.appendChild(el('thead')).append(tr);
  const body = t.appendChild(el('tbody'));
  for (const row of rows) {
    const r = body.appendChild(el('tr'));
    for (const [j, cell] of row.entries()) {
      const td = r.appendChild(el('td', {'data-label': head[j]}));
      td.append(cell instanceof Node ? cell : routed(String(cell)));
    }
  }
  return t;
}

function drawStack(app, snap) {
  const {base, store, dom} = app, depth = store.depth[snap.k];
  dom.stack.replaceChildren();
  if (!depth) {
    dom.stack.append(el('h4', {}, 'Stack'), el('p', {class: 'ad-empty'}, base.words.no_stack));
    return;
  }
  dom.stack.append(el('h4', {}, `Stack (top first, ${num(depth)} ${depth === 1 ? 'entry' : 'entries'})`));
  // predicting, a value is not shown before its pop: working it out is the question
  const value = c => nowrap(app.predict || practiceHides(app, snap.k) ? '?' : store.cellValue[c]);
  const rows = snap.top.map((c, i) => [i + 1, base.keys[store.cellNode[c]], value(c),
                                       store.cellRoute[c]]);
  dom.stack.append(table(['#', 'node', 'value', 'route'], rows, 'ad-table ad-stack-table'));
  if (depth > rows.length) dom.stack.append(el('p', {class: 'ad-more'}, `… and ${num(depth - rows.length)} more below`));
}

// One node's ledger line, e.g. "a = 4 (d→c→a) + 7 (d→a) = 11", drawn from its parts
// (ledger.mjs) as the server wrote them (autodiff/trace/ledger.py: a line's number, its route
// cut to its ends): a line wraps between terms, a number never breaks, a route after an arrow
// (as the narration's), inside a name only where one name is wider than the whole column
// (stepper.css). Hover a term for its whole route.
function ledgerLine(app, snap, i) {
  const {base, store} = app, lines = store.lineCell[i], first = snap.firsts[i];
  const cell = j => lines[first + j];  // the j-th line's cell (forward mode: in this pass)
  const parts = ledgerParts(base.keys[i], snap.sizes[i], snap.grad(i), base.limits.terms,
    j => ({number: store.lineNumber[i][first + j], route: store.cellRoute[cell(j)]}),
    base.line_words);
  const line = el('span', {class: 'ad-line'});
  if (parts.none) { line.append(nowrap(parts.head, 'ad-term'), ` (${base.words.none})`); return line; }
  line.append(parts.head);
  for (const t of parts.terms) {
    const whole = route(store, cell(t.index)).map(n => base.keys[n]).join('→');
    const term = el('span', {class: 'ad-term', title: whole});
    const shown = el('span', {class: 'ad-route'});
    shown.append('(', routed(t.route), ')');
    term.append(nowrap(t.number), ' ', shown);
    line.append(' ', term);
  }
  if (parts.more) line.append(' ', nowrap(parts.more, 'ad-term'));
  line.append(' = ', nowrap(parts.total));
  return line;
}

const GRAD_TITLES = {central: 'central-difference estimate', agree: 'the numbers agree'};

function gradientsTable(base, running, stacked) {
  const rows = base.gradients.slice(0, base.limits.table).map(r => [
    base.keys[r.node], nowrap(running(r)), nowrap(r.engine), nowrap(r.central), nowrap(r.agree)]);
  return table(base.words.grad_head, rows, 'ad-table ad-grad-table' + (stacked ? ' ad-stacked' : ''),
               GRAD_TITLES);
}

// The Gradients check is a table when its widest step fits its box, else each node's numbers
// go on lines of their own (stepper.css): decided once per graph and box, so the layout never
// changes while stepping. A running sum may be written wider on its way than at its end
// (-1.533e+5 before 28), so the probe's running column holds the widest number text there is.
const WIDEST_RUNNING = '-8.888e+88 ✓';
function gradientsStacked(app) {
  const box = app.dom.gradients;
  if (app.gradientsStacked === undefined && !box.hidden && box.clientWidth) {
    const probe = box.appendChild(gradientsTable(app.base, () => WIDEST_RUNNING, false));
    app.gradientsStacked = probe.offsetWidth > box.clientWidth;
    probe.remove();
  }
  return Boolean(app.gradientsStacked);
}

function drawTables(app, snap) {
  const {base, dom} = app, limit = base.limits.table;
  // forward mode's row: its pass's result once the pass has ended (r.done, its last step)
  const running = r => r.done !== undefined ? (snap.k >= r.done ? r.forward : '…')
    : snap.grad(r.node) + (snap.complete[r.node] ? ' ✓' : '');
  const more = (count, where) => count > limit &&
    el('p', {class: 'ad-more'}, `First ${limit} of ${num(count)} nodes shown; ${where}.`);
  const stacked = gradientsStacked(app), drawn = app.gradientsDrawn;
  if (drawn && drawn.base === base && drawn.stacked === stacked) {
    // the same table: only the running sums that changed are written again
    base.gradients.slice(0, limit).forEach((r, j) => {
      const text = running(r);
      if (drawn.running[j].textContent !== text) drawn.running[j].textContent = text;
    });
  } else {
    const grads = gradientsTable(base, running, stacked);
    dom.gradients.replaceChildren(el('h4', {}, base.words.grad_title), grads);
    const g = more(base.gradients.length, 'the trace JSON has every gradient');
    if (g) dom.gradients.append(g);
    for (const note of base.kinks) dom.gradients.append(el('p', {class: 'ad-more ad-kink'}, note));
    app.gradientsDrawn = {base, stacked,
                          running: [...grads.tBodies[0].rows].map(row => row.cells[1].firstChild)};
  }
  const title = base.words.ledger_title;
  app.dom.tabs.querySelector('[data-tab=ledger]').textContent = base.words.ledger_tab;
  const popped = snap.path.length ? snap.path[snap.path.length - 1] : -1;
  const rows = base.ledger.slice(0, limit).map(i => [base.keys[i], snap.sizes[i],
    ledgerLine(app, snap, i), snap.complete[i] ? '✓' : '']);
  const ledger = table(['node', base.words.count, 'ledger', 'done'], rows, 'ad-table ad-ledger-table');
  const at = base.ledger.slice(0, limit).indexOf(popped);
  if (at >= 0) ledger.tBodies[0].rows[at].classList.add('ad-now');
  dom.ledger.replaceChildren(el('h4', {}, title), ledger);
  const l = more(base.ledger.length, 'the route ledger CSV has every route');
  if (l) dom.ledger.append(l);
  keepInView(dom.panels, ledger.querySelector('.ad-now'));
}

// The Steps tab: the steps so far in words (step_list.mjs), the current one last and marked
// ▶ (and aria-current), so a screen reader has what the canvas shows. Drawn while the tab is
// shown (selectTab draws it as it opens): a step costs no more with the tab closed.
function drawSteps(app, k) {
  const {base, store, dom} = app, {from, to} = listedSteps(k);
  if (dom.steps.hidden) return;
  const rows = [];
  for (let j = from; j <= to; j++) {
    const row = stepRow(j, base, store, upper), cell = store.pop[j];
    const whole = cell >= 0 ? route(store, cell).map(n => base.keys[n]).join('→') : row.route;
    const shown = el('span', {title: whole});  // a route cut to its ends: hover for all of it
    shown.append(routed(row.route));
    rows.push([(j === k ? '▶ ' : '') + j, row.node, shown, nowrap(row.value),
               nowrap(row.gradient + (row.done ? ' ✓' : ''))]);
  }
  const list = table(stepsHead(base), rows,
                     'ad-table ad-steps-table' + (stepsStacked(app) ? ' ad-stacked' : ''), STEPS_TITLES);
  const now = list.tBodies[0].rows[rows.length - 1];
  now.classList.add('ad-now');
  now.setAttribute('aria-current', 'step');
  dom.steps.replaceChildren(el('h4', {}, `Steps ${num(from)} to ${num(k)}, the one shown last`), list);
  if (from > 0) dom.steps.append(el('p', {class: 'ad-more'}, `${num(from)} earlier steps: ← or Home shows them.`));
  keepInView(dom.panels, now);
}

const STEPS_TITLES = {gradient: "the node's gradient after the step"};
const stepsHead = base => ['step', ...base.words.steps_head];

// The Steps tab is a table when its widest row fits its box (numbers never break, names and
// routes may), else a step per line, each value after its column's name, as the Gradients
// check: decided per graph and box width, so the layout never changes while stepping.
function stepsStacked(app) {
  const box = app.dom.steps, width = app.dom.panels.clientWidth, known = app.stepsStacked;
  if (app.dom.root.classList.contains('ad-narrow')) return true;
  if (!width || (known && known.base === app.base && known.width === width)) {
    return Boolean(known && known.stacked);
  }
  const widest = '-8.888e+88', row = ['▶ 88888', 'x', 'x', nowrap(widest), nowrap(widest + ' ✓')];
  const probe = box.appendChild(table(stepsHead(app.base), [row], 'ad-table ad-steps-table'));
  app.stepsStacked = {base: app.base, width, stacked: probe.offsetWidth > box.clientWidth};
  probe.remove();
  return app.stepsStacked.stacked;
}

// Scroll a panel (never the page) so that the row being talked about is in it, below the
// panel's heading (which stays put at the top, stepper.css).
function keepInView(box, row) {
  if (!row || box.hidden) return;
  const head = box.querySelector('.ad-panel:not([hidden]) h4');
  const above = head ? head.offsetHeight : 0;
  const top = row.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
  const bottom = top + row.offsetHeight;
  if (top - above < box.scrollTop || bottom > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, Math.min(top - above - 4, bottom - box.clientHeight + 4));
  }
}

// ---- the view: the whole graph when it is readable, else the current step up close ----
// app.mode: 'fit' (the whole graph), 'follow' (the step's nodes and route at a readable
// zoom) or 'overview' (the whole graph although too small to read: the F key).

const FOLLOW_MARGIN = 1.25;  // follow zooms to at most this × the least readable zoom
const FRAME_MARGIN_PX = 16;  // between the framed nodes and the edge of the view, on screen
const easing = {duration: 250, easingFunction: 'easeInOutQuad'};
// a reader who asks the system for less motion gets every move at once, never animated
const stillness = globalThis.matchMedia && matchMedia('(prefers-reduced-motion: reduce)');
const animated = animate => Boolean(animate) && !(stillness && stillness.matches);

// The whole graph as large as it fits, FRAME_MARGIN_PX from the view's edges (vis's own fit
// leaves a tenth of the view empty: a tenth off the text size on a projector).
function wholeView(app) {
  const box = boxOf(app, app.base.nodes.map(n => n.id));
  const host = app.dom.net, margin = FRAME_MARGIN_PX;
  if (!(box.right > box.left)) return {position: {x: 0, y: 0}, scale: 1};
  return {position: {x: box.x, y: box.y},
          scale: Math.min((host.clientWidth - 2 * margin) / box.w,
                          (host.clientHeight - 2 * margin) / box.h)};
}

function fitScale(app) { return wholeView(app).scale; }  // the zoom that shows all of it

function chooseMode(app) {  // on a new graph, a new size, or the sidebar's switches
  const readable = fitScale(app) >= app.minScale;
  app.readable = readable;
  if (app.followWanted || !readable) app.mode = app.mode === 'overview' && !readable ? 'overview' : 'follow';
  else app.mode = 'fit';
}

function boxOf(app, ids) {
  let left = Infinity, top = Infinity, right = -Infinity, bottom = -Infinity;
  for (const id of ids) {
    const b = app.net.getBoundingBox(id);
    if (!b) continue;
    left = Math.min(left, b.left); top = Math.min(top, b.top);
    right = Math.max(right, b.right); bottom = Math.max(bottom, b.bottom);
  }
  return {left, top, right, bottom, x: (left + right) / 2, y: (top + bottom) / 2,
          w: right - left, h: bottom - top};
}

// Frame what this step is about: the popped node, the node its route came from and every node
// it pushed (step 0: the output and its pushes; forward mode: the visited node's inputs), wholly in view, with as much around them as
// the readable zoom allows (zoomed in at most FOLLOW_MARGIN × the least readable zoom). Where
// they do not fit at the readable zoom, the view zooms out until they do: a node the narration
// talks about must be there to point at (on the presets this is a few steps of the post's
// second example, whose pushes sit far apart, drawn at 9-11 px).
function frame(app, snap, animate = true) {
  const keys = app.base.keys, host = app.dom.net, margin = FRAME_MARGIN_PX;
  const W = host.clientWidth, H = host.clientHeight;
  const popped = snap.path.length ? snap.path[snap.path.length - 1] : app.base.output;
  const ids = [popped, ...snap.path.slice(-2, -1), ...snap.pushed, ...snap.from];
  const b = boxOf(app, ids.map(i => keys[i]));
  const scale = Math.min((W - 2 * margin) / b.w, (H - 2 * margin) / b.h,
                         app.minScale * FOLLOW_MARGIN);
  const position = withinGraph(app, b, scale, W, H);
  app.moving = false;  // the move this one replaces ends without landing
  app.net.moveTo({position, scale, animation: animated(animate) ? easing : false});
  app.goal = {position, scale};
  app.moving = animated(animate);
}

// No empty canvas beyond the graph's edge while the graph is bigger than the view there:
// the view slides inwards (what it framed stays in view: the graph's extent counts the framed
// box too, as a node at the edge may have grown wider since the extent was measured).
function withinGraph(app, framed, scale, W, H) {
  const measured = app.allBox || (app.allBox = boxOf(app, app.base.nodes.map(n => n.id)));
  const all = {left: Math.min(measured.left, framed.left),
               right: Math.max(measured.right, framed.right),
               top: Math.min(measured.top, framed.top),
               bottom: Math.max(measured.bottom, framed.bottom)};
  const pad = 24 / scale, halfW = W / 2 / scale, halfH = H / 2 / scale;
  const clamp = (v, lo, hi) => lo > hi ? (lo + hi) / 2 : Math.max(lo, Math.min(hi, v));
  return {x: clamp(framed.x, all.left - pad + halfW, all.right + pad - halfW),
          y: clamp(framed.y, all.top - pad + halfH, all.bottom + pad - halfH)};
}

function fitAll(app, animate = false) {
  const view = wholeView(app);
  view.scale = Math.min(view.scale, app.maxScale);
  app.moving = false;
  app.net.moveTo({...view, animation: animated(animate) ? easing : false});
  app.goal = view;
  app.moving = animated(animate);
}

function applyView(app, snap, animate = true) {
  if (!app.net) return;
  if (app.mode === 'follow') frame(app, snap || snapshot(app.base, app.store, app.shown), animate);
  else if (app.mode !== 'free') fitAll(app, animate);
  // the note says why the page follows: the sidebar's switch asked, or the page chose to (one
  // line beside the buttons at 1280×720: a note that wrapped would resize the graph)
  const following = app.followWanted ? 'following the pop (F), as the sidebar asks'
    : 'whole graph too small: following the pop (F)';
  const labels = {follow: ['Whole graph', following],
                  overview: ['Follow', 'too small to read: F follows'],
                  fit: ['Fit', ''], free: ['Fit', '']};
  const [button, note] = labels[app.mode];
  app.dom.fit.textContent = button;
  app.dom.view.textContent = note;
  app.dom.view.title = note;  // whole, where the bar cuts it short
  app.dom.view.hidden = !note;
  app.dom.net.dataset.mode = app.mode;
}

// The one drawing function: graph, counter, slider, narration, stack, gradients, ledger.
function show(app, k) {
  const {base, store, dom} = app;
  const snap = snapshot(base, store, k);
  app.shown = k;
  if (app.net) {
    const restyled = restyle(app, snap);
    if (app.mode === 'follow') frame(app, snap);
    if (restyled) redrawSoon(app.net);
  }
  dom.counter.textContent = `Step ${num(k)} of ${num(base.last)} · ` + (base.seeds.length
    ? `pass ${num(passOf(base, k))} of ${num(base.seeds.length)}`  // forward mode
    : `${num(base.counts.pops)} pops, ${num(base.counts.visits)} visits`);
  dom.slider.value = String(k);
  // predicting, the narration would tell the next answers (what a pop pushes): the reveal
  // of this step is said instead
  const said = app.predict ? (app.reveals.get(k) || PREDICT_NOTE) : practiceSays(app, k) || store.say[k];
  dom.narration.replaceChildren(routed(said));  // a route wraps after an arrow
  const judged = app.predict && app.verdicts.get(k);
  dom.narration.dataset.verdict = judged ? (judged.right ? 'right' : judged.mistake || 'wrong')
    : practiceVerdict(app, k);
  if (!dom.chain.hidden) drawChain(app, k);  // typeset only when read (KaTeX is the dearest part)
  drawStack(app, snap);
  drawTables(app, snap);
  drawSteps(app, k);
  for (const node of [dom.root, dom.net, dom.counter, dom.narration, dom.stack, dom.gradients, dom.ledger,
                      dom.steps]) {
    node.dataset.step = String(k);
  }
  dom.net.dataset.algorithm = base.algorithm;
  dom.net.setAttribute('aria-label', `Computational graph of ${base.keys.length} nodes, output ${base.keys[base.output]}, step ${k} (in words: the Steps tab)`);
  dom.root.querySelector('[data-act=back]').disabled = k <= 0;
  dom.root.querySelector('[data-act=home]').disabled = k <= 0;
  dom.root.querySelector('[data-act=next]').disabled = k >= base.last;
  dom.root.querySelector('[data-act=end]').disabled = k >= base.last;
  dom.play.disabled = base.last === 0;
  report(app);
  announce(app, k);
}

// The live class (class_panel.js) hears each step drawn, on the stepper's root: the step, the
// step asked for (a step whose window is on its way is drawn later) and the payload's id.
function announce(app, k) {
  app.dom.root.dispatchEvent(new CustomEvent('ad-step', {bubbles: true,
    detail: {step: k, target: app.target, page: app.id, last: app.base.last}}));
}

// Forward mode's pass at step k, from 1 (step 0, the start, counts as the first pass's).
function passOf(base, k) { return upper(base.passes, k) + 1; }

// ---- moving: the target step, windows, play, the report to the server ----

// Where the page stands, kept outside the component (one per page: one stepper is drawn at
// a time), so a stepper mounted afresh by a rerun opens there, in presenter view if it was
// (keys.mjs openingStep, opensPresenting).
const place = globalThis.adPlace ||
  (globalThis.adPlace = {walk: null, step: 0, presenting: false});

function catchUp(app) {
  const {store, base, dom} = app;
  place.walk = base.walk;
  place.step = app.target;
  const ready = app.target < store.steps;
  if (ready && app.target !== app.shown) show(app, app.target);
  dom.loading.hidden = ready;
  if (!ready) dom.loading.textContent = `Loading steps… ${num(store.steps)} of ${num(base.last + 1)} here`;
  // ask for the next window when the target is near the end of what is here
  const want = store.windows;
  if (want < base.windows.length && app.target >= store.steps - 100) {
    const asked = app.asked.get(want);
    if (asked === undefined || performance.now() - asked > RETRY_MS) {
      app.asked.set(want, performance.now());
      app.io.setTriggerValue('want', [app.id, want]);
    }
  }
}

function act(app, what) {
  if (!app.base) return;
  const last = app.base.last;
  if (what === 'fit') { toggleOverview(app); return; }
  if (what === 'legend') { app.dom.legend.hidden = !app.dom.legend.hidden; return; }
  if (what === 'present') { present(app, !document.body.classList.contains('ad-present')); return; }
  if (what === 'play') { togglePlay(app); return; }
  if (what === 'predict') { setPredict(app, !app.predict); return; }
  if (what === 'practice') { setPractice(app, !app.practice.on); return; }
  if (what === 'exercise') { newExercise(app); return; }
  if (what === 'tour') { openTour(app.tour); return; }
  if (what === 'move') { app.moveChosen = app.dom.root.dataset.moves !== 'true'; fitStage(app); return; }
  if (what === 'next' || what === 'tick') {
    const to = Math.min(last, app.target + 1), question = app.store.quiz.get(to);
    if (app.asking || asksFirst(app.predict, app.target, to, question, app.answered)) {
      stopPlay(app);
      ask(app, app.asking || question);
      return;
    }
    if (practiceAsks(app, to)) { stopPlay(app); return; }
  }
  if (what !== 'tick') stopPlay(app);
  if (app.asking) closeQuestion(app);
  if (app.practice.asking) closePractice(app);
  const moves = {next: t => t + 1, tick: t => t + 1, back: t => t - 1, home: () => 0, end: () => last};
  app.target = Math.max(0, Math.min(last, moves[what](app.target)));
  catchUp(app);
}

// F: whole graph <-> follow. A graph readable when fitted has nothing to follow unless the
// sidebar asks for it: F fits it again.
function toggleOverview(app) {
  if (!app.net) return;
  if (app.mode === 'follow') app.mode = app.readable ? 'fit' : 'overview';
  else if (app.mode === 'overview' || app.followWanted) app.mode = 'follow';
  else app.mode = 'fit';
  applyView(app, null);
}

// Presenter view: the page shows the graph, the narration, the stack and the ledger only
// (stepper.css hides the rest through the body's class); the sizes follow.
function present(app, on) {
  document.body.classList.toggle('ad-present', on);
  app.dom.root.querySelector('[data-act=present]').textContent = on ? 'Exit presenter' : 'Present';
  if (on) selectTab(app, 'ledger');
  requestAnimationFrame(() => fitStage(app));
}

function selectTab(app, name) {
  for (const tab of app.dom.tabs.querySelectorAll('[data-tab]')) {
    tab.setAttribute('aria-selected', String(tab.dataset.tab === name));
  }
  app.dom.ledger.hidden = name !== 'ledger';
  app.dom.gradients.hidden = name !== 'gradients';
  app.dom.chain.hidden = name !== 'chain';
  app.dom.steps.hidden = name !== 'steps';
  if (name === 'steps' && app.store) drawSteps(app, app.shown);  // measured now it is shown
  if (name === 'gradients' && app.gradientsStacked === undefined && app.store) {
    drawTables(app, snapshot(app.base, app.store, app.shown));  // measured now it is shown
  }
  if (name === 'chain' && app.store) drawChain(app, app.shown);
}

// The stage fills the window below the controls: its height follows the viewport (a narrow
// page stacks the panels under the graph instead and lets the page scroll).
function fitStage(app) {
  const root = app.dom.root, top = root.getBoundingClientRect().top + window.scrollY;
  const narrow = root.clientWidth < NARROW_PX;
  root.classList.toggle('ad-narrow', narrow);
  root.classList.toggle('ad-compact', root.clientWidth < COMPACT_PX);
  const room = Math.floor(window.innerHeight - top - 12);
  const height = narrow ? '' : Math.max(MIN_STAGE_PX, room) + 'px';
  const netHeight = narrow ? narrowHeight({
    graph: app.net && app.base ? boxOf(app, app.base.nodes.map(n => n.id)) : null,
    width: app.dom.net.clientWidth, windowHeight: window.innerHeight, margin: FRAME_MARGIN_PX,
    minScale: app.minScale, maxScale: app.maxScale}) + 'px' : '';
  if (root.style.height !== height) root.style.height = height;
  if (app.dom.net.style.height !== netHeight) app.dom.net.style.height = netHeight;
  letGraphMove(app, narrow);
}

// On a phone the wheel and a swipe over the graph scroll the page, unless the student chose
// to move the graph (Move graph); elsewhere they zoom and pan it (stage.mjs graphMoves).
function letGraphMove(app, narrow) {
  const touch = Boolean(globalThis.matchMedia && matchMedia('(pointer: coarse)').matches);
  const moves = graphMoves(app.moveChosen, {narrow, touch});
  app.dom.root.classList.toggle('ad-touch', touch);
  app.dom.move.setAttribute('aria-pressed', String(moves));
  app.dom.root.dataset.moves = String(moves);
  if (!app.net || app.net.adMoves === moves) return;
  app.net.adMoves = moves;
  app.net.setOptions({interaction: {zoomView: moves, dragView: moves}});
}

// The graph's box changed (window, sidebar, presenter view): vis redraws at the new size
// and the view is chosen again (a graph may become readable, or stop being so).
function resized(app) {
  if (!app.net || !app.base) return;
  const size = app.dom.net.clientWidth + 'x' + app.dom.net.clientHeight;
  if (size === app.size) return;
  app.size = size;
  app.net.setSize(app.dom.net.clientWidth + 'px', app.dom.net.clientHeight + 'px');
  app.net.redraw();
  app.gradientsStacked = undefined;  // the Gradients check is measured again in its new box
  if (!app.dom.gradients.hidden) drawTables(app, snapshot(app.base, app.store, app.shown));
  chooseMode(app);
  applyView(app, null, false);
  keepInView(app.dom.panels, app.dom.ledger.querySelector('.ad-now'));
}

function goTo(app, k) {  // the slider: a jump, which asks nothing
  stopPlay(app);
  if (app.asking) closeQuestion(app);
  if (app.practice.asking) closePractice(app);
  app.target = Math.max(0, Math.min(app.base.last, k));
  catchUp(app);
}

function stopPlay(app) {
  if (app.timer) { clearInterval(app.timer); app.timer = null; }
  app.dom.play.textContent = 'Play ▶';
  app.dom.play.setAttribute('aria-pressed', 'false');
}

function togglePlay(app) {
  if (app.timer) { stopPlay(app); return; }
  if (app.base.last === 0) return;
  if (app.target >= app.base.last) { app.target = 0; catchUp(app); }  // at the end: start over
  app.dom.play.textContent = 'Pause ❚❚';
  app.dom.play.setAttribute('aria-pressed', 'true');
  app.timer = setInterval(() => {
    act(app, 'tick');
    if (app.target >= app.base.last) stopPlay(app);
  }, 1000 * Number(app.dom.speed.value));
}

// The step, 300 ms after the last one (only a step the user asked for: not one drawn while a
// window is still on its way), goes into the address (the program's stepper: a reload or a
// copied link opens there; replaceState adds no history entry and sends nothing), and to the
// server only while it asks for every step (data.reports: the share link and downloads are
// open, or the stepper keeps its step in its component state, as the Training view's does).
function report(app) {
  clearTimeout(app.reportTimer);
  app.reportTimer = setTimeout(() => {
    if (app.shown !== app.target) return;
    if (app.address) writeStep(app.shown);
    if (app.reports) tellServer(app, app.shown);
  }, REPORT_MS);
}

// [the payload shown, k]: the same k told again on another payload is still a change the
// server hears (stepper.py _reported), and one told on a payload it no longer shows is dropped
function tellServer(app, k) {
  if (k === app.reported) return;
  app.reported = k;
  app.io.setStateValue('step', [app.id, k]);  // a rerun of the stage: state.STEP
}

// Streamlit reruns with the query string its server wrote last, not the address the page
// wrote, so the server learns the page's step only from the page: just before the user
// touches something outside the stepper (a control there may rerun: another algorithm keeps
// the moment, a value keeps the step, the share link and downloads are made at it, and the
// URL the server then writes carries it). Stepping alone sends nothing.
function handOver(app, target) {
  if (!app.base || !app.address || app.dom.root.contains(target) || target === document.body) return;
  if (target.closest && target.closest('.ad-class')) return;  // the live class's controls never rerun
  tellServer(app, app.target);
}

// ?step=k in the address, the rest of it as the server wrote it
function writeStep(k) {
  const query = location.search.replace(/^\?/, '');
  const param = /(^|&)step=[^&]*/;
  const next = param.test(query) ? query.replace(param, `$1step=${k}`)
    : (query ? query + '&' : '') + `step=${k}`;
  if (next !== query) history.replaceState(history.state, '', `${location.pathname}?${next}${location.hash}`);
}

// ---- predict mode: a step's question first, then the step ----

const PREDICT_NOTE = 'Predict mode: → asks what the next pop gives before it is shown.';

function setPredict(app, on) {
  const teaching = app.base ? app.base.teaching : {on: true};
  if (on && !teaching.on) {  // the server sends no questions for so big a graph
    app.dom.quiz.hidden = false;
    app.dom.result.textContent = teaching.note || `Predict mode asks on graphs of up to ${num(teaching.nodes)} ` +
      `nodes walked in up to ${num(teaching.steps)} steps; this walk is bigger.`;
    return;
  }
  if (on && !app.pdom.box.hidden) setPractice(app, false);  // one mode at a time
  app.predict = on;
  app.dom.predict.setAttribute('aria-pressed', String(on));
  app.dom.predict.textContent = on ? 'Predicting' : 'Predict';
  app.dom.quiz.hidden = !on;
  if (!on) closeQuestion(app);
  drawScore(app);
  if (app.store) show(app, app.shown);
}

function ask(app, question) {
  const dom = app.dom;
  app.asking = question;
  dom.ask.hidden = false;
  dom.prompt.textContent = question.prompt;
  dom.answer.value = '';
  dom.result.textContent = '';
  dom.choices.replaceChildren(...question.choices.map(([text], i) =>
    el('button', {type: 'button', class: 'ad-btn ad-choice', 'data-choice': i}, text)));
  dom.answer.focus();
}

function closeQuestion(app) {
  app.asking = null;
  app.dom.ask.hidden = true;
  if (document.activeElement === app.dom.answer) app.dom.answer.blur();
}

// The answer given (a typed number, or a choice): the reveal, the score, then the step.
function reveal(app, result) {
  const question = app.asking;
  if (!question) return;
  const text = revealText(question, result, app.base.mistakes);
  app.answered.add(question.step);
  app.score.asked += 1;
  if (result.right) app.score.right += 1;
  // the verdict in words and a mark, never by colour alone; shown as the step's narration
  app.reveals.set(question.step, (result.right ? '✓ ' : '✗ ') + text);
  app.verdicts.set(question.step, result);
  app.dom.result.textContent = '';
  closeQuestion(app);
  drawScore(app);
  app.target = question.step;
  catchUp(app);
}

function typedAnswer(app) {
  const typed = parseAnswer(app.dom.answer.value);
  if (typed === null) {
    app.dom.result.textContent = 'Type a number, e.g. 4, -0.5 or 1.2e-3 (or choose one below).';
    app.dom.answer.focus();  // asked again (after Reveal clicked, the focus comes back here)
    return;
  }
  reveal(app, verdict(app.asking, typed));
}

function skipQuestion(app) {
  const question = app.asking;
  if (!question) return;
  app.answered.add(question.step);
  app.reveals.set(question.step, `Skipped. The answer is ${question.right}: ${question.why}.`);
  app.dom.result.textContent = '';
  closeQuestion(app);
  app.target = question.step;
  catchUp(app);
}

function drawScore(app) {
  const {right, asked} = app.score;
  app.dom.score.textContent = asked ? `Score: ${right} of ${asked} right` : '';
}

function listenToQuiz(app) {
  const dom = app.dom;
  dom.answer.addEventListener('keydown', e => {
    if (e.key === 'Enter') { e.preventDefault(); typedAnswer(app); }
  });
  dom.quiz.addEventListener('click', e => {
    const choice = e.target.closest('[data-choice]'), action = e.target.closest('[data-quiz]');
    if (choice && app.asking) reveal(app, choiceVerdict(app.asking, Number(choice.dataset.choice)));
    else if (action && action.dataset.quiz === 'reveal' && app.asking) typedAnswer(app);
    else if (action && action.dataset.quiz === 'skip') skipQuestion(app);
  });
}

// ---- the chain rule written out, typeset by KaTeX ----

function loadKatex() {
  if (document.getElementById('ad-katex-js')) return;
  const css = el('link', {id: 'ad-katex-css', rel: 'stylesheet', href: KATEX + 'katex.min.css'});
  const js = el('script', {id: 'ad-katex-js', src: KATEX + 'katex.min.js'});
  js.addEventListener('load', () => document.dispatchEvent(new Event('ad-katex')));
  document.head.append(css, js);
}

function drawChain(app, k) {
  const box = app.dom.chain, equations = app.store.chain.get(k) || [];
  const {teaching} = app.base;
  const none = el('p', {class: 'ad-empty'},
    !teaching.on
      ? teaching.note || `Written out for graphs of up to ${num(teaching.nodes)} nodes walked in up to ${num(teaching.steps)} steps.`
      : k ? 'Nothing is multiplied or added at this step.'
        : 'The start: each pop will multiply the local derivatives along its route.');
  box.dataset.step = String(k);
  box.replaceChildren(el('h4', {}, 'The chain rule of this step'), ...(equations.length ? [] : [none]),
                      ...equations.map(([what, tex]) => {
    const row = el('div', {class: 'ad-eq'});
    const math = el('span', {class: 'ad-eq-math', 'data-tex': tex});
    if (globalThis.katex) {
      katex.render('\\displaystyle ' + tex, math, {throwOnError: false, output: 'htmlAndMathml'});
    } else {
      math.textContent = tex;  // until KaTeX has loaded (then drawn again)
    }
    row.append(el('span', {class: 'ad-eq-what'}, what[0].toUpperCase() + what.slice(1) + ':'), ' ', math);
    return row;
  }));
}

// ---- the graph ----

function drawGraph(app) {
  if (!globalThis.vis) { setTimeout(() => drawGraph(app), 20); return; }  // loader not run yet
  const base = app.base, host = app.dom.net;
  const ids = base.nodes.map(n => n.id).join('|') + '#' + base.edges.map(e => e.id).join('|');
  forgetDrawn(app);
  if (!app.net) {
    app.nodes = new vis.DataSet(base.nodes);
    app.edges = new vis.DataSet(base.edges);
    app.net = new vis.Network(host, {nodes: app.nodes, edges: app.edges}, base.options);
    globalThis.adNetworkCreated = (globalThis.adNetworkCreated || 0) + 1;
    app.net.on('animationFinished', () => {  // vis's last frame can stop short: land exactly
      if (app.moving && app.goal) app.net.moveTo({...app.goal, animation: false});
      app.moving = false;
    });
    // vis draws the arrowheads after the edge labels, and the layout leaves room between two
    // layers for a label, not for a label and an arrowhead: the labels go on top again
    app.net.on('afterDrawing', ctx => {
      for (const edge of edgesInView(app.net)) edge.drawLabel(ctx, edge.edgeType.getViaNode());
    });
    drawOnlyInView(app.net);
    // vis's frame takes the focus (for its own keys, which are off) and shows no ring: out of
    // the Tab order, which goes from the buttons to the panels (the Steps tab says the graph)
    host.querySelector('.vis-network').setAttribute('tabindex', '-1');
    app.net.on('dragEnd', () => { if (app.mode === 'fit') app.mode = 'free'; });
    app.net.on('zoom', () => { if (app.mode === 'fit') app.mode = 'free'; });
  } else if (app.ids !== ids) {            // another shape: replace, then fit
    app.nodes.clear(); app.edges.clear();
    app.nodes.add(base.nodes); app.edges.add(base.edges);
  } else {                                 // the same drawing: zoom and pan survive
    app.nodes.update(base.nodes); app.edges.update(base.edges);
  }
  const fresh = app.ids !== ids;
  app.ids = ids;
  app.allBox = null;  // the graph's extent, measured again on the next frame
  globalThis.adNetwork = app.net;
  if (fresh) { app.size = null; app.mode = 'fit'; fitStage(app); resized(app); }
  show(app, app.shown);
}

function receive(app, data) {
  app.address = Boolean(data.address);
  app.reports = Boolean(data.reports);
  app.minScale = data.min_scale;
  app.letters = data.letters !== false;
  app.maxScale = data.max_scale;
  const followChanged = app.followWanted !== undefined && app.followWanted !== data.follow;
  app.followWanted = data.follow;
  app.dom.root.classList.toggle('ad-stale', Boolean(data.stale));
  app.dom.root.dataset.stale = data.stale ? 'true' : 'false';
  const opening = !app.presentRead;  // this mount's first payload
  app.presentRead = true;
  fitStage(app);
  if (followChanged && app.net) { chooseMode(app); applyView(app, null); }
  const exercise = exerciseArrived(app, data);  // a new exercise opens at its step 0
  if (exercise) place.walk = null;
  if (data.id !== app.id) {                // a new program, values or algorithm
    stopPlay(app);
    resetPractice(app);
    app.id = data.id;
    app.base = JSON.parse(data.base);
    app.base.edgeIds = app.base.edges.map(e => e.id);
    app.gradientsStacked = undefined;
    app.store = newStore(app.base);
    append(app.store, app.base.first);
    app.answered = new Set();
    app.reveals = new Map();
    app.verdicts = new Map();
    app.score = {right: 0, asked: 0};
    closeQuestion(app);
    app.asked = new Map();
    app.dom.slider.max = String(Math.max(app.base.last, 1));
    app.dom.slider.disabled = app.base.last === 0;
    app.target = openingStep(place, app.base.walk, data.start, app.base.last);
    app.reported = data.start;  // the server's step: one kept from before is handed over
    app.shown = Math.min(app.target, app.store.steps - 1);
    drawGraph(app);
    if (app.practice.on) setPractice(app, true);  // still a walk practice can ask on?
  }
  if (opening && opensPresenting(place, app.base.walk, data.present)) present(app, true);
  if (opening && data.mode === 'predict') setPredict(app, true);  // a lesson link's mode
  if (exercise || (opening && data.mode === 'practice')) setPractice(app, true);
  if (opening) {
    const query = new URLSearchParams(location.search);
    requestAnimationFrame(() => openOnFirstVisit(app.tour, {
      lesson: query.has('hide') || query.has('mode'),
      presenting: document.body.classList.contains('ad-present')}));
  }
  // a classic mistake's example chosen (counted by the server; remembered across mounts)
  if (data.predict_asked && data.predict_asked !== place.predictAsked) setPredict(app, true);
  place.predictAsked = data.predict_asked;
  if (data.chunk && data.chunk_index === app.store.windows) append(app.store, JSON.parse(data.chunk));
  if (app.fit !== undefined && app.fit !== data.fit && app.net) {  // the sidebar's Fit
    app.mode = app.readable ? 'fit' : 'overview'; applyView(app, null);
  }
  app.fit = data.fit;
  catchUp(app);
  report(app);  // again after the server's own URL (a step kept from before, or reports asked)
}

// The keys step unless text is being edited (keys.mjs decides). The listener runs first, in
// the capture phase at the window, so a key the stepper takes never reaches the focused
// widget (Space would open a dropdown, PageDown scroll the sidebar). A control chosen with
// the mouse gives the focus up at once: nothing is left highlighted, and Space no longer
// presses a button that was clicked.
function listenForKeys(app) {
  app.viaKeyboard = false;  // whether the focus last moved by Tab (not by the mouse)
  const onKey = e => {
    if (e.key === 'Tab') app.viaKeyboard = true;
    if (e.defaultPrevented) return;
    const action = keyAction(e, e.target, {viaKeyboard: app.viaKeyboard, letters: app.letters,
                                           presenting: document.body.classList.contains('ad-present')});
    if (!action || action.after) handOver(app, e.target);  // the key is a control's: it may rerun
    if (!action) return;
    if (action.after) { setTimeout(() => e.target.blur(), 0); return; }  // e.g. Ctrl+Enter applies first
    e.preventDefault();
    e.stopPropagation();
    if (action.release) e.target.blur();
    else if (action.unpresent) present(app, false);
    else act(app, action.step);
  };
  const onPointer = e => { app.viaKeyboard = false; handOver(app, e.target); };
  const onFocus = e => handOver(app, e.target);
  const onClick = e => {
    if (!e.detail) return;  // a click made with the keyboard (Enter on a button): focus stays
    setTimeout(() => {
      const focused = document.activeElement;
      if (focused && HANDED_BACK.has(focusKind(focused))) focused.blur();
    }, 0);
  };
  app.listeners = [[window, 'keydown', onKey], [document, 'pointerdown', onPointer],
                   [document, 'click', onClick], [document, 'focusin', onFocus]];
  for (const [target, type, listener] of app.listeners) target.addEventListener(type, listener, true);
}

// what a mouse click leaves focused and the page then blurs (a native select opens on the
// click itself, so it gives the focus up on its change instead)
const HANDED_BACK = new Set(['dropdown', 'radio', 'checkbox', 'range', 'button']);

function start(parent) {
  const app = {dom: buildDom(parent), id: null, shown: 0, target: 0, timer: null, mode: 'fit',
               predict: false, asking: null, answered: new Set(), reveals: new Map(),
               verdicts: new Map(),
               score: {right: 0, asked: 0}};
  app.dom.tabs.addEventListener('click', e => {
    const tab = e.target.closest('[data-tab]');
    if (tab) selectTab(app, tab.dataset.tab);
  });
  app.observer = new ResizeObserver(() => { fitStage(app); resized(app); });
  app.observer.observe(app.dom.root);
  app.observer.observe(app.dom.net);
  app.onResize = () => { fitStage(app); resized(app); };
  window.addEventListener('resize', app.onResize);
  app.dom.root.addEventListener('click', e => {
    const button = e.target.closest('[data-act]');
    if (button) act(app, button.dataset.act);
  });
  app.dom.slider.addEventListener('input', () => goTo(app, Number(app.dom.slider.value)));
  app.dom.speed.addEventListener('change', () => {
    if (app.timer) { stopPlay(app); togglePlay(app); }
    if (!app.viaKeyboard) app.dom.speed.blur();  // chosen with the mouse: the keys step again
  });
  app.tour = createTour(app.dom.root);
  const tourKeys = e => tourKeydown(app.tour, e);
  window.addEventListener('keydown', tourKeys, true);  // before the stepper's keys (listenForKeys)
  listenForKeys(app);
  app.listeners.push([window, 'keydown', tourKeys]);
  listenToQuiz(app);
  mountPractice(app);
  loadKatex();
  app.onKatex = () => { if (app.store && !app.dom.chain.hidden) drawChain(app, app.shown); };
  document.addEventListener('ad-katex', app.onKatex);
  globalThis.adStepper = {shown: () => app.shown, target: () => app.target,
                          loaded: () => app.store ? app.store.steps : 0, mode: () => app.mode,
                          minScale: () => app.minScale, settled: () => !app.moving,
                          letters: () => app.letters, predicting: () => Boolean(app.predict),
                          asking: () => app.asking ? app.asking.step : null,
                          practising: () => app.practice.on,
                          practiceAsking: () => app.practice.asking ? app.practice.asking.step : null,
                          tourNote: () => app.tour.at,
                          // the live class moves the page (a jump, as the slider's) and poses
                          // a step's predict question (null: none, e.g. a graph too big to teach)
                          goTo: k => { if (app.base) goTo(app, k); },
                          question: k => (app.store && app.store.quiz.get(k)) || null};
  return app;
}

export default function ({ data, parentElement, setStateValue, setTriggerValue }) {
  let app = parentElement.__adApp;
  if (!app) app = parentElement.__adApp = start(parentElement);
  app.io = {setStateValue, setTriggerValue};
  receive(app, data);
  return () => {                          // on unmount only, never per step
    for (const [target, type, listener] of app.listeners) target.removeEventListener(type, listener, true);
    window.removeEventListener('resize', app.onResize);
    document.removeEventListener('ad-katex', app.onKatex);
    app.observer.disconnect();
    removeTour(app.tour);
    place.presenting = document.body.classList.contains('ad-present');  // for a fresh mount
    document.body.classList.remove('ad-present');
    stopPlay(app);
    clearTimeout(app.reportTimer);
    if (app.net) { app.net.destroy(); app.net = null; }
    parentElement.__adApp = null;
  };
}
