// What vis-network really drew, in its canvas coordinates, for components/geometry.problems:
// node boxes, every edge as 33 points along it, and each edge label's box where drawLabel
// puts it (the edge's point at t = 0.5, after the arrows have set the edge's two ends).
// Called with the name of the global holding the Network ("network" in the standalone
// HTML, "adNetwork" in the app).
(name) => {
  const net = globalThis[name], boxes = {}, labels = {}, edges = [];
  for (const id of net.body.nodeIndices) {
    const b = net.getBoundingBox(id);
    boxes[id] = [b.left, b.top, b.right, b.bottom];
  }
  for (const id of net.body.edgeIndices) {
    const e = net.body.edges[id], via = e.edgeType.getViaNode();
    const points = [];
    for (let i = 0; i <= 32; i++) {
      const p = e.edgeType.getPoint(i / 32, via);
      points.push([p.x, p.y]);
    }
    edges.push([e.fromId, e.toId, points]);
    const s = e.labelModule.size, m = e.edgeType.getPoint(0.5, via);
    labels[id] = [m.x - s.width / 2, m.y - s.height / 2, m.x + s.width / 2, m.y + s.height / 2];
  }
  return {boxes, labels, edges};
}
