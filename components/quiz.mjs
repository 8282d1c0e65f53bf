// Predict mode's rules: when a step asks its question first, what a typed number or a chosen
// answer is, and the sentence the reveal says. Pure, so node checks it
// (tests/components/quiz.test.mjs); stepper.py puts this file before stepper.js.
//
// A question comes from the server (autodiff/trace/questions.py via replay.py): {step, prompt,
// right (the answer as the page writes it), low, high (the interval a typed answer must fall
// in), choices ([text, code]: code "right", a mistake's name or ""), mistakes ([code, low,
// high]), why}. The numbers are the server's; the page only compares.

// A typed answer as a number, or null: the page's own minus sign (−) and a decimal comma
// (1,5) are read too, since a student types what they see or what their keyboard gives.
export function parseAnswer(text) {
  let t = String(text).trim().replace(/\u2212/g, '-');
  if (t.includes(',') && !t.includes('.')) t = t.replace(',', '.');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

// Right when the number is in the answer's interval; else the first named mistake whose
// interval holds it; else plainly wrong.
export function verdict(question, typed) {
  if (typed >= question.low && typed <= question.high) return {right: true, mistake: ''};
  for (const [code, low, high] of question.mistakes) {
    if (typed >= low && typed <= high) return {right: false, mistake: code};
  }
  return {right: false, mistake: ''};
}

// A choice clicked (or pressed: 1-4) is what it was made as.
export function choiceVerdict(question, index) {
  const code = question.choices[index][1];
  return {right: code === 'right', mistake: code === 'right' ? '' : code};
}

// The reveal's sentence. ``mistakes``: code -> [name, why it is wrong] (the base payload's).
export function revealText(question, result, mistakes) {
  if (result.right) return `Right: ${question.why}.`;
  if (result.mistake) {
    const [name, reason] = mistakes[result.mistake];
    return `Not quite: that ${name}. The answer is ${question.right}: ${reason}; ${question.why}.`;
  }
  return `Not quite. The answer is ${question.right}: ${question.why}.`;
}

// Whether moving from step ``from`` to ``to`` first asks the question of ``to``: in predict
// mode, one step forward, onto a step that has a question not answered yet.
export function asksFirst(predicting, from, to, question, answered) {
  return Boolean(predicting && to === from + 1 && question && !answered.has(to));
}
