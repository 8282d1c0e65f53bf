// The stepper in the page: replays the trace the server computed (components/replay.py) and
// draws every step here, with no server round trip. One function, show(k), draws the graph
// and every panel, so they always agree. Key presses go through act(), which moves the step
// the user asked for (the target) by one per press: none is dropped, and a step whose window
// has not arrived yet is drawn as soon as it does. The server only hears the step, 300 ms
// after the last one (for the URL, the share link and the downloads).

const KEYS = {ArrowRight: 'next', PageDown: 'next', ' ': 'next', ArrowLeft: 'back',
              PageUp: 'back', Home: 'home', End: 'end', p: 'play', P: 'play',
              f: 'fit', F: 'fit'};
const SPEEDS = [0.5, 1, 2, 3];  // seconds per step while playing
const REPORT_MS = 300;          // quiet time before the step is reported to the server
const RETRY_MS = 5000;          // a window asked for and not received is asked for again
const TYPING = /^(INPUT|TEXTAREA|SELECT)$/;
const num = n => n.toLocaleString('en-US');
const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name]);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function buildDom(parent) {
  const root = el('div', {class: 'ad-stepper'});
  const bar = el('div', {class: 'ad-bar', role: 'toolbar', 'aria-label': 'Step controls'});
  const button = (act, text, title, extra = '') =>
    el('button', {type: 'button', 'data-act': act, title, class: 'ad-btn ' + extra}, text);
  const speed = el('select', {class: 'ad-speed', 'aria-label': 'Seconds per step'});
  for (const s of SPEEDS) speed.append(el('option', {value: s}, `${s} s / step`));
  speed.value = '1';
  bar.append(button('home', 'Home', 'Back to step 0 (Home)'),
             button('back', '◀ Back', 'One step back (← or PageUp)'),
             button('next', 'Next ▶', 'One step forward (→, Space or PageDown)', 'ad-primary'),
             button('end', 'End', 'The last step (End)'),
             button('play', 'Play ▶', 'Step by itself; stops at the end (P)'), speed,
             button('fit', 'Fit', 'Fit the whole graph in view (F)'));
  const slider = el('input', {type: 'range', id: 'ad-slider', class: 'ad-slider', min: 0,
                              max: 1, value: 0, 'aria-label': 'Step'});
  const where = el('div', {class: 'ad-where'});
  where.append(el('span', {id: 'ad-counter', class: 'ad-counter', 'aria-live': 'polite'}), slider);
  const net = el('div', {class: 'ad-net', role: 'img'});
  const side = el('div', {class: 'ad-side'});
  side.append(el('p', {id: 'ad-narration', class: 'ad-narration', 'aria-live': 'polite'}),
              el('div', {id: 'ad-stack', class: 'ad-panel'}));
  const main = el('div', {class: 'ad-main'});
  main.append(net, side);
  const below = el('div', {class: 'ad-below'});
  below.append(el('div', {id: 'ad-gradients', class: 'ad-panel'}),
               el('div', {id: 'ad-ledger', class: 'ad-panel'}));
  root.append(bar, where, el('p', {id: 'ad-loading', class: 'ad-loading', hidden: ''}),
              main, below);
  parent.append(root);
  const $ = sel => root.querySelector(sel);
  return {root, bar, slider, speed, net, counter: $('#ad-counter'),
          narration: $('#ad-narration'), stack: $('#ad-stack'), gradients: $('#ad-gradients'),
          ledger: $('#ad-ledger'), loading: $('#ad-loading'), play: $('[data-act=play]')};
}

// ---- the replayed trace: cells, steps and ledger lines, appended window by window ----

function newStore(base) {
  const perNode = () => base.keys.map(() => []);
  return {cellNode: [], cellParent: [], cellBelow: [], cellValue: [], cellShort: [],
          pop: [], head: [], push: [], pushn: [], depth: [], say: [],
          lineStep: perNode(), lineCell: perNode(), lineTotal: perNode(),
          lineShort: perNode(), windows: 0, steps: 0};
}

function append(store, w) {
  if (w.start !== store.steps || w.first_cell !== store.cellNode.length) return false;
  const c = w.cells, s = w.steps, l = w.lines;
  for (let i = 0; i < c.node.length; i++) {
    store.cellNode.push(c.node[i]); store.cellParent.push(c.parent[i]);
    store.cellBelow.push(c.below[i]); store.cellValue.push(c.value[i]);
    store.cellShort.push(c.short[i]);
  }
  for (const name of ['pop', 'head', 'push', 'pushn', 'depth', 'say']) {
    for (const x of s[name]) store[name].push(x);
  }
  for (let i = 0; i < l.step.length; i++) {
    const n = l.node[i];
    store.lineStep[n].push(l.step[i]); store.lineCell[n].push(l.cell[i]);
    store.lineTotal[n].push(l.total[i]); store.lineShort[n].push(l.short[i]);
  }
  store.steps = w.stop;
  store.windows += 1;
  return true;
}

function upper(sorted, k) {  // how many entries of a sorted list are <= k
  let lo = 0, hi = sorted.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (sorted[mid] <= k) lo = mid + 1; else hi = mid; }
  return lo;
}

function route(store, cell) {  // node indices from the output (or the visit) down to the cell
  const nodes = [];
  for (let c = cell; c >= 0; c = store.cellParent[c]) nodes.push(store.cellNode[c]);
  return nodes.reverse();
}

// Everything about step k, read from the store (nothing is computed but lookups and counts).
function snapshot(base, store, k) {
  const pop = store.pop[k];
  const popNode = pop >= 0 ? store.cellNode[pop] : -1;
  const counts = new Map(), top = [];
  for (let c = store.head[k]; c >= 0; c = store.cellBelow[c]) {
    const n = store.cellNode[c];
    counts.set(n, (counts.get(n) || 0) + 1);
    if (top.length < base.limits.stack) top.push(c);
  }
  const sizes = base.keys.map((_, i) => upper(store.lineStep[i], k));
  const grad = (i, list) => i === base.output ? '1' : sizes[i] ? list[i][sizes[i] - 1] : '0';
  const complete = sizes.map((size, i) => i === base.output || size === base.needed[i]);
  const status = base.keys.map((_, i) => i === popNode ? 'popped' : counts.get(i) ? 'stack'
                                       : complete[i] ? 'complete' : 'plain');
  const path = pop >= 0 ? route(store, pop) : [];
  const onRoute = new Set();
  if (path.length > 1) for (let j = 1; j < path.length; j++) onRoute.add(path[j - 1] + '>' + path[j]);
  const from = popNode >= 0 ? popNode : base.output;
  const pushed = new Set();
  for (let c = store.push[k]; c < store.push[k] + store.pushn[k]; c++) {
    pushed.add(from + '>' + store.cellNode[c]);
  }
  return {k, pop, path, counts, top, sizes, complete, status, onRoute, pushed,
          fmt: i => grad(i, store.lineTotal), short: i => grad(i, store.lineShort)};
}

// ---- drawing one step ----

function nodeItem(base, snap, i) {
  const status = snap.status[i];
  const name = status === 'popped' ? (snap.complete[i] ? 'popped_complete' : 'popped')
             : status === 'plain' ? (snap.sizes[i] ? 'started' : 'plain') : status;
  const n = snap.counts.get(i) || 0;
  const badge = fill(base.badges[name], {g: snap.short(i), n});
  const words = fill(base.words[status], {n, entries: n === 1 ? 'entry' : 'entries'});
  return {id: base.keys[i], label: badge ? `${base.heads[i]}\n${badge}` : base.heads[i],
          title: `${base.tips[i]}\ngradient so far = ${snap.fmt(i)}\n${words}`,
          ...base.looks[base.node_looks[i][status]], state: status};
}

function restyle(app, snap) {
  const base = app.base, index = app.index;
  const nodes = [], edges = [];
  base.keys.forEach((key, i) => {
    if (!base.drawn[i]) return;
    const item = nodeItem(base, snap, i), text = JSON.stringify(item);
    if (app.seen.get(key) !== text) { app.seen.set(key, text); nodes.push(item); }
  });
  for (const edge of base.edges) {
    const pair = index[edge.from] + '>' + index[edge.to];
    const status = snap.onRoute.has(pair) ? 'route' : snap.pushed.has(pair) ? 'pushed' : 'plain';
    const item = {id: edge.id, ...base.edge_looks[status], state: status};
    const text = JSON.stringify(item);
    if (app.seen.get('e:' + edge.id) !== text) { app.seen.set('e:' + edge.id, text); edges.push(item); }
  }
  if (nodes.length) app.nodes.update(nodes);  // vis re-measures only what changed
  if (edges.length) app.edges.update(edges);
}

function table(head, rows, cls) {
  const t = el('table', {class: cls});
  const tr = el('tr');
  for (const h of head) tr.append(el('th', {}, h));
  t.appendChild(el('thead')).append(tr);
  const body = t.appendChild(el('tbody'));
  for (const row of rows) {
    const r = body.appendChild(el('tr'));
    for (const cell of row) r.append(el('td', {}, String(cell)));
  }
  return t;
}

function shortRoute(nodes, keys) {
  const names = nodes.map(i => keys[i]);
  return names.length <= 3 ? names.join('→') : [names[0], '…', names[names.length - 1]].join('→');
}

function drawStack(app, snap) {
  const {base, store, dom} = app, depth = store.depth[snap.k];
  dom.stack.replaceChildren();
  if (!depth) {
    const empty = base.algorithm === 'route-stack' ? 'The stack is empty.'
      : 'The topological sweep keeps no stack: one visit per node.';
    dom.stack.append(el('h4', {}, 'Stack'), el('p', {class: 'ad-empty'}, empty));
    return;
  }
  dom.stack.append(el('h4', {}, `Stack (top first, ${num(depth)} ${depth === 1 ? 'entry' : 'entries'})`));
  const rows = snap.top.map((c, i) => [i + 1, base.keys[store.cellNode[c]], store.cellShort[c],
                                       shortRoute(route(store, c), base.keys)]);
  dom.stack.append(table(['#', 'node', 'value', 'route'], rows, 'ad-table ad-stack-table'));
  if (depth > rows.length) dom.stack.append(el('p', {class: 'ad-more'}, `… and ${num(depth - rows.length)} more below`));
}

function ledgerLine(app, snap, i) {
  const {base, store} = app, key = base.keys[i], size = snap.sizes[i];
  if (!size) return `${key} = 0 (no route yet)`;
  const cells = store.lineCell[i];
  const terms = [];
  for (let j = 0; j < Math.min(size, base.limits.terms); j++) {
    terms.push(`${store.cellValue[cells[j]]} (${route(store, cells[j]).map(n => base.keys[n]).join('→')})`);
  }
  if (size > base.limits.terms) terms.push(`… ${num(size - base.limits.terms)} more`);
  return `${key} = ${terms.join(' + ').replaceAll('+ -', '− ')} = ${snap.fmt(i)}`;
}

function drawTables(app, snap) {
  const {base, dom} = app, limit = base.limits.table;
  const grads = base.gradients.slice(0, limit).map(r => [
    base.keys[r.node], snap.fmt(r.node) + (snap.complete[r.node] ? ' ✓' : ''), r.engine,
    r.central, r.agree]);
  dom.gradients.replaceChildren(el('h4', {}, 'Gradients: running sum, engine, central difference'),
    table(['node', 'running', 'engine', 'central difference', 'agree'], grads, 'ad-table'));
  const more = (count, where) => count > limit &&
    el('p', {class: 'ad-more'}, `First ${limit} of ${num(count)} nodes shown; ${where}.`);
  const g = more(base.gradients.length, 'the trace JSON has every gradient');
  if (g) dom.gradients.append(g);
  const title = base.algorithm === 'route-stack'
    ? 'Route ledger: each route\'s edges multiplied, the routes to a node added'
    : 'Contributions: each user passes its gradient × the local derivative; a node adds what it is passed';
  const rows = base.ledger.slice(0, limit).map(i => [base.keys[i], snap.sizes[i],
    ledgerLine(app, snap, i), snap.complete[i] ? '✓' : '']);
  dom.ledger.replaceChildren(el('h4', {}, title),
    table(['node', 'routes', 'ledger', 'done'], rows, 'ad-table ad-ledger-table'));
  const l = more(base.ledger.length, 'the route ledger CSV has every route');
  if (l) dom.ledger.append(l);
}

function follow(app, snap) {
  if (!app.follow || snap.path.length === 0) return;
  const focus = snap.path.slice(-2).map(i => app.base.keys[i]);
  const at = app.net.getPositions(focus), host = app.dom.net, scale = app.followScale;
  const node = at[focus[focus.length - 1]], from = at[focus[0]];
  const halfW = host.clientWidth / 2 / scale, halfH = host.clientHeight / 2 / scale;
  const dx = from.x - node.x, dy = from.y - node.y;
  let position = {x: node.x + dx / 2, y: node.y + dy / 2};   // both ends in view ...
  if (Math.abs(dx) > 1.6 * halfW || Math.abs(dy) > 1.6 * halfH) {
    const f = 0.5 * Math.min(halfW / Math.abs(dx || 1), halfH / Math.abs(dy || 1));
    position = {x: node.x + dx * f, y: node.y + dy * f};    // ... or the node, edge leading in
  }
  app.net.moveTo({position, scale, animation: {duration: 250, easingFunction: 'easeInOutQuad'}});
}

// The one drawing function: graph, counter, slider, narration, stack, gradients, ledger.
function show(app, k) {
  const {base, store, dom} = app;
  const snap = snapshot(base, store, k);
  app.shown = k;
  if (app.net) { restyle(app, snap); follow(app, snap); }
  dom.counter.textContent = `Step ${num(k)} of ${num(base.last)} · ${num(base.counts.pops)} pops, ${num(base.counts.visits)} visits`;
  dom.slider.value = String(k);
  dom.narration.textContent = store.say[k];
  drawStack(app, snap);
  drawTables(app, snap);
  for (const node of [dom.root, dom.net, dom.counter, dom.narration, dom.stack, dom.gradients, dom.ledger]) {
    node.dataset.step = String(k);
  }
  dom.net.dataset.algorithm = base.algorithm;
  dom.net.setAttribute('aria-label', `Computational graph of ${base.keys.length} nodes, output ${base.keys[base.output]}, step ${k}`);
  dom.root.querySelector('[data-act=back]').disabled = k <= 0;
  dom.root.querySelector('[data-act=home]').disabled = k <= 0;
  dom.root.querySelector('[data-act=next]').disabled = k >= base.last;
  dom.root.querySelector('[data-act=end]').disabled = k >= base.last;
  dom.play.disabled = base.last === 0;
  report(app);
}

// ---- moving: the target step, windows, play, the report to the server ----

function catchUp(app) {
  const {store, base, dom} = app;
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
  if (what === 'fit') { app.follow = false; if (app.net) app.net.fit(); return; }
  if (what === 'play') { togglePlay(app); return; }
  if (what !== 'tick') stopPlay(app);
  const moves = {next: t => t + 1, tick: t => t + 1, back: t => t - 1, home: () => 0, end: () => last};
  app.target = Math.max(0, Math.min(last, moves[what](app.target)));
  catchUp(app);
}

function goTo(app, k) { stopPlay(app); app.target = Math.max(0, Math.min(app.base.last, k)); catchUp(app); }

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

function report(app) {
  clearTimeout(app.reportTimer);
  app.reportTimer = setTimeout(() => {
    // only a step the user asked for: not one drawn while a window is still on its way
    if (app.shown === app.target && app.shown !== app.reported) {
      app.reported = app.shown;
      app.io.setStateValue('step', app.shown);
    }
  }, REPORT_MS);
}

// ---- the graph ----

function drawGraph(app) {
  if (!globalThis.vis) { setTimeout(() => drawGraph(app), 20); return; }  // loader not run yet
  const base = app.base, host = app.dom.net;
  const ids = base.nodes.map(n => n.id).join('|') + '#' + base.edges.map(e => e.id).join('|');
  app.seen = new Map();
  if (!app.net) {
    app.nodes = new vis.DataSet(base.nodes);
    app.edges = new vis.DataSet(base.edges);
    app.net = new vis.Network(host, {nodes: app.nodes, edges: app.edges}, base.options);
    globalThis.adNetworkCreated = (globalThis.adNetworkCreated || 0) + 1;
  } else if (app.ids !== ids) {            // another shape: replace, then fit
    app.nodes.clear(); app.edges.clear();
    app.nodes.add(base.nodes); app.edges.add(base.edges);
    app.net.fit();
  } else {                                 // the same drawing: zoom and pan survive
    app.nodes.update(base.nodes); app.edges.update(base.edges);
  }
  app.ids = ids;
  globalThis.adNetwork = app.net;
  show(app, app.shown);
}

function receive(app, data) {
  app.dom.net.style.height = data.height + 'px';
  app.followScale = data.follow_scale;
  const followChanged = app.followWanted !== data.follow;
  app.followWanted = data.follow;
  if (followChanged) app.follow = data.follow;
  if (data.id !== app.id) {                // a new program, values or algorithm
    stopPlay(app);
    app.id = data.id;
    app.base = JSON.parse(data.base);
    app.store = newStore(app.base);
    append(app.store, app.base.first);
    app.asked = new Map();
    app.index = Object.fromEntries(app.base.keys.map((key, i) => [key, i]));
    app.dom.slider.max = String(Math.max(app.base.last, 1));
    app.dom.slider.disabled = app.base.last === 0;
    app.target = Math.max(0, Math.min(app.base.last, data.start));
    app.reported = data.start;
    app.shown = Math.min(app.target, app.store.steps - 1);
    drawGraph(app);
  }
  if (data.chunk && data.chunk_index === app.store.windows) append(app.store, JSON.parse(data.chunk));
  if (app.fit !== undefined && app.fit !== data.fit && app.net) { app.follow = false; app.net.fit(); }
  app.fit = data.fit;
  catchUp(app);
}

function start(parent) {
  const app = {dom: buildDom(parent), id: null, shown: 0, target: 0, timer: null};
  app.dom.bar.addEventListener('click', e => {
    const button = e.target.closest('[data-act]');
    if (button) act(app, button.dataset.act);
  });
  app.dom.slider.addEventListener('input', () => goTo(app, Number(app.dom.slider.value)));
  app.dom.speed.addEventListener('change', () => { if (app.timer) { stopPlay(app); togglePlay(app); } });
  app.onKey = e => {
    if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t && (t.isContentEditable || TYPING.test(t.tagName))) return;  // typing a program
    const what = KEYS[e.key];
    if (!what || (e.key === ' ' && t && t.closest && t.closest('button, summary, [role=button]'))) return;
    e.preventDefault();
    act(app, what);
  };
  document.addEventListener('keydown', app.onKey);
  globalThis.adStepper = {shown: () => app.shown, target: () => app.target,
                          loaded: () => app.store ? app.store.steps : 0};
  return app;
}

export default function ({ data, parentElement, setStateValue, setTriggerValue }) {
  let app = parentElement.__adApp;
  if (!app) app = parentElement.__adApp = start(parentElement);
  app.io = {setStateValue, setTriggerValue};
  receive(app, data);
  return () => {                          // on unmount only, never per step
    document.removeEventListener('keydown', app.onKey);
    stopPlay(app);
    clearTimeout(app.reportTimer);
    if (app.net) { app.net.destroy(); app.net = null; }
    parentElement.__adApp = null;
  };
}
