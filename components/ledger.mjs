// A node's line in the route ledger, e.g. "a = 4 (d→c→a) + 7 (d→a) = 11", as the page draws
// it: the line's rule is the server's (autodiff/trace/ledger.py: each route's number, "4"
// first and "+ 7" later, its route, the words and the limit, sent by replay.py); here the page
// only picks a node's lines at the step it shows and fills the words' counts, node-tested on
// its own (tests/components/ledger.test.mjs). stepper.py puts this file before stepper.js,
// which draws the parts (a number never breaks, a route wraps after an arrow, hover a term for
// its whole route).

const COUNT = new Intl.NumberFormat('en-US');  // toLocaleString builds one per call

// How the page writes a count: 1,234 (stepper.js writes its counts with it too).
export const num = n => COUNT.format(n);

const fillIn = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name]);

// The parts of node ``key``'s line once ``size`` routes are counted, its gradient ``total``:
// the first ``limit`` lines, each {number, route, index} as ``line(j)`` gives the j-th (its
// number and route written by the server), ``index`` its place in the node's ledger; then how
// many routes are left out, in the server's ``words`` (LINE_WORDS: head, empty, more).
export function ledgerParts(key, size, total, limit, line, words) {
  if (!size) return {head: fillIn(words.empty, {key}), none: true, terms: [], more: '', total: ''};
  const terms = [];
  for (let j = 0; j < Math.min(size, limit); j++) {
    const {number, route} = line(j);
    terms.push({number, route, index: j});
  }
  const more = size > limit ? fillIn(words.more, {n: num(size - limit)}) : '';
  return {head: fillIn(words.head, {key}), none: false, terms, more, total};
}
