// The graph's box on a narrow page (a phone), and whether a wheel or a swipe over it moves the
// graph or scrolls the page. Pure, so node checks it (tests/components/stage.test.mjs);
// stepper.py puts this file before stepper.js.

export const NARROW_MIN_PX = 220;    // the graph's box on a narrow page is never shorter
export const NARROW_SHARE = 0.62;    // nor taller than this share of the window's height

// The height of the graph's box on a narrow page, where the panels go under the graph and
// the page scrolls: as tall as the whole graph needs at the zoom that fits its width (a
// graph readable whole then fills its box, with no empty band above and below it); a graph
// too small to read whole is followed (stepper.js frame), in the tallest box allowed.
// `graph`: the drawing's extent in vis units ({w, h}), or null before vis has drawn it.
export function narrowHeight({graph, width, windowHeight, margin, minScale, maxScale}) {
  const tallest = Math.max(NARROW_MIN_PX, Math.floor(windowHeight * NARROW_SHARE));
  if (!graph || !(graph.w > 0) || !(graph.h > 0)) return tallest;
  const scale = Math.min((width - 2 * margin) / graph.w, maxScale);
  if (scale < minScale) return tallest;
  return Math.max(NARROW_MIN_PX, Math.min(tallest, Math.ceil(graph.h * scale + 2 * margin)));
}

// Whether the wheel zooms and a drag or a swipe pans the graph. On a narrow page or a touch
// screen they scroll the page instead (the graph there sits in the page's flow: a swipe that
// it caught would trap the student on it), unless the student has chosen to move the graph
// (the Move graph button: `chosen` true or false, undefined while not chosen).
export function graphMoves(chosen, {narrow, touch}) {
  return chosen === undefined ? !(narrow || touch) : Boolean(chosen);
}
