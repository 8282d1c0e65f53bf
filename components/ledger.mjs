// A node's line in the route ledger, e.g. "a = 4 (d→c→a) + 7 (d→a) = 11": the page's one rule
// for it (Python sends the numbers and routes, written: replay.py), node-tested on its own
// (tests/components/ledger.test.mjs). stepper.py puts this file before stepper.js, which
// draws the parts (a number never breaks, a route wraps after an arrow, hover a term for its
// whole route).

const COUNT = new Intl.NumberFormat('en-US');  // toLocaleString builds one per call

// How the page writes a count: 1,234 (stepper.js writes its counts with it too).
export const num = n => COUNT.format(n);

// The parts of node ``key``'s line once ``size`` routes are counted, its gradient ``total``:
// at most ``limit`` terms, each {number, route, index}: the first route's product as it is
// (``value``), a later one as a term of the sum (``term``: "+ 7", "- 7"), with its route as
// people read it (cut by the server), ``index`` the route's place in the ledger; then how many
// routes are left out, "+ … 5 more" (or ''); then the sum. ``route(j)`` gives the j-th route's
// {value, term, route}. With no route yet: {head: "a = 0", none: true}.
export function ledgerParts(key, size, total, limit, route) {
  if (!size) return {head: `${key} = 0`, none: true, terms: [], more: '', total: ''};
  const terms = [];
  for (let j = 0; j < Math.min(size, limit); j++) {
    const r = route(j);
    terms.push({number: j ? r.term : r.value, route: r.route, index: j});
  }
  const more = size > limit ? `+ … ${num(size - limit)} more` : '';
  return {head: `${key} =`, none: false, terms, more, total};
}

// The line as one text, as the page shows it.
export function ledgerText(parts) {
  if (parts.none) return `${parts.head} (no route yet)`;
  const terms = parts.terms.map(t => `${t.number} (${t.route})`);
  return [parts.head, ...terms, ...(parts.more ? [parts.more] : []), '=', parts.total].join(' ');
}
