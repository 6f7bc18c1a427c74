/**
 * Delaunay triangulation (Bowyer–Watson). The lower-face warp needs a triangle list over a few
 * hundred mesh points, built once per shot, so the simple O(n²) algorithm is plenty.
 */

/** Returns triangles as a flat list of index triples into `xs`/`ys`, counter-clockwise in image axes. */
export function delaunay(xs: ArrayLike<number>, ys: ArrayLike<number>): number[] {
  const n = xs.length;
  if (n < 3) return [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    minX = Math.min(minX, xs[i]); maxX = Math.max(maxX, xs[i]);
    minY = Math.min(minY, ys[i]); maxY = Math.max(maxY, ys[i]);
  }
  const d = Math.max(maxX - minX, maxY - minY) || 1;
  const mx = (minX + maxX) / 2, my = (minY + maxY) / 2;
  // super-triangle vertices are n, n+1, n+2
  const px = Array.from(xs); const py = Array.from(ys);
  px.push(mx - 20 * d, mx, mx + 20 * d);
  py.push(my - d, my + 20 * d, my - d);
  interface Tri { a: number; b: number; c: number; cx: number; cy: number; r2: number }
  const make = (a: number, b: number, c: number): Tri => {
    const ax = px[a], ay = py[a], bx = px[b], by = py[b], cx = px[c], cy = py[c];
    const dd = 2 * (ax * (by - cy) + bx * (cy - ay) + cx * (ay - by));
    if (Math.abs(dd) < 1e-12) return { a, b, c, cx: 0, cy: 0, r2: Infinity };
    const a2 = ax * ax + ay * ay, b2 = bx * bx + by * by, c2 = cx * cx + cy * cy;
    const ux = (a2 * (by - cy) + b2 * (cy - ay) + c2 * (ay - by)) / dd;
    const uy = (a2 * (cx - bx) + b2 * (ax - cx) + c2 * (bx - ax)) / dd;
    return { a, b, c, cx: ux, cy: uy, r2: (ax - ux) ** 2 + (ay - uy) ** 2 };
  };
  let tris: Tri[] = [make(n, n + 1, n + 2)];
  for (let i = 0; i < n; i++) {
    const x = px[i], y = py[i];
    const bad: Tri[] = [];
    const keep: Tri[] = [];
    for (const t of tris) {
      if ((x - t.cx) ** 2 + (y - t.cy) ** 2 <= t.r2 * (1 + 1e-9)) bad.push(t);
      else keep.push(t);
    }
    // boundary of the cavity = edges that belong to exactly one bad triangle
    const edges = new Map<string, [number, number]>();
    for (const t of bad) {
      for (const [u, v] of [[t.a, t.b], [t.b, t.c], [t.c, t.a]] as Array<[number, number]>) {
        const k = u < v ? `${u},${v}` : `${v},${u}`;
        if (edges.has(k)) edges.delete(k);
        else edges.set(k, [u, v]);
      }
    }
    for (const [u, v] of edges.values()) keep.push(make(u, v, i));
    tris = keep;
  }
  const out: number[] = [];
  for (const t of tris) {
    if (t.a >= n || t.b >= n || t.c >= n) continue;
    // orient consistently (positive signed area in image axes)
    const area = (px[t.b] - px[t.a]) * (py[t.c] - py[t.a]) - (px[t.c] - px[t.a]) * (py[t.b] - py[t.a]);
    if (Math.abs(area) < 1e-12) continue;
    if (area > 0) out.push(t.a, t.b, t.c);
    else out.push(t.a, t.c, t.b);
  }
  return out;
}
