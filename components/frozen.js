// The stepper frozen into a file (components/frozen.py): a slideshow or a handout, opened
// from disk with no server. The stepper's own module (the app's code, inlined as text) is run
// from a blob URL, as Streamlit runs it, and mounted on the payload the app sends with every
// window of steps present and nothing to report (no server). The slideshow is that stepper in
// presenter view, stepped by the app's keys (→ Space PageDown, ← PageUp: a clicker's). The
// handout steps it through the chosen steps once, keeps per step the graph as a PNG image of
// the drawn canvas, the narration, the stack and the ledger, then takes the stepper away:
// the sections print (components/frozen.css) with real images.

const read = id => JSON.parse(document.getElementById(id).textContent);
const code = read('ad-stepper-code');
const frozen = read('ad-frozen');
const {default: mountStepper} = await import(
  URL.createObjectURL(new Blob([code], {type: 'text/javascript'})));
const noServer = () => {};  // nothing is reported, no window is asked for: all are here

// Mount the stepper in ``parent`` with the payload and then each later window, in order, as
// the app's server would send them. Returns the stepper's unmount.
function mountAll(parent) {
  const io = {parentElement: parent, setStateValue: noServer, setTriggerValue: noServer};
  let unmount = mountStepper({...io, data: frozen.data});
  frozen.windows.forEach((chunk, i) => {
    unmount = mountStepper({...io, data: {...frozen.data, chunk, chunk_index: i + 1}});
  });
  return unmount;
}

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

const nextFrame = () => new Promise(resolve => requestAnimationFrame(() => resolve()));

// Step k drawn: every panel says so, the view has stopped moving, vis has drawn it.
async function drawnAt(work, k) {
  const slider = work.querySelector('#ad-slider');
  slider.value = String(k);
  slider.dispatchEvent(new Event('input'));  // the slider's jump, as a student's drag
  const ready = () => work.querySelector('.ad-net').dataset.step === String(k) &&
    globalThis.adNetwork && globalThis.adStepper.settled();
  for (let i = 0; i < 600 && !ready(); i++) await nextFrame();
  await nextFrame();
  globalThis.adNetwork.redraw();
}

// One step of the handout: the counter as its heading, the graph's image, the narration, the
// stack and the ledger as the page drew them.
function section(work, k) {
  const $ = sel => work.querySelector(sel);
  const box = el('section', {class: 'ho-step', 'data-step': String(k)});
  const image = el('img', {class: 'ho-graph', src: $('.ad-net canvas').toDataURL('image/png'),
                           alt: `The computational graph at step ${k}`});
  const narration = el('p', {class: 'ho-narration'});
  narration.append(...[...$('#ad-narration').childNodes].map(n => n.cloneNode(true)));
  const panels = el('div', {class: 'ho-panels'});
  for (const id of ['ad-stack', 'ad-ledger']) {
    const panel = el('div', {class: 'ho-panel ho-' + id.slice(3)});
    panel.append(...[...$('#' + id).childNodes].map(n => n.cloneNode(true)));
    panels.append(panel);
  }
  box.append(el('h2', {}, $('#ad-counter').textContent), image, narration, panels);
  return box;
}

async function handout(main) {
  const work = el('div', {class: 'ho-work', 'aria-hidden': 'true'});
  document.body.append(work);
  const unmount = mountAll(work);
  const [first, last] = frozen.steps;
  const sections = [];
  for (let k = first; k <= last; k++) {
    await drawnAt(work, k);
    sections.push(section(work, k));
  }
  unmount();
  work.remove();
  main.append(el('h1', {}, document.title), ...sections);
  document.body.dataset.ready = 'true';  // every image made: the file can be printed
}

const main = document.getElementById('ad-frozen-main');
if (document.body.dataset.kind === 'handout') await handout(main);
else { mountAll(main); document.body.dataset.ready = 'true'; }
