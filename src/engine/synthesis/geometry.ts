/**
 * Lower-face warp geometry. Per shot: which mesh points are warp control points, how much each one
 * follows the source mouth, a Delaunay triangulation, and the mask outline. Per frame: the control
 * point positions in the source frame and in the target frame's new geometry (the target's own
 * head, with the lips and jaw moved to the source's mouth shape).
 */
import { delaunay } from './delaunay.js';
import {
  CHIN, FACE_OVAL, INNER_LIP, INNER_LOWER, OUTER_LIP, INNER_UPPER, OUTER_LOWER, OUTER_UPPER, STABLE, SUBNASALE,
  applySim, faceFrame, fitSimilarity, pt, eyeDistance, type Point,
} from './landmarks.js';
import { openingForGap } from './opener-calibration.js';
import type { ShotGeometry } from './types.js';

const MESH_POINTS = 468;
const MOUTH_CORNERS = [61, 291];

/**
 * Mean of several meshes after mapping each into the face-aligned frame (x, y only), flat [x0,y0,...].
 * Each mesh is used before the next is asked for, so they may come one at a time through one buffer.
 */
export function meanAlignedMesh(meshes: Iterable<ArrayLike<number>>): Float64Array {
  const out = new Float64Array(MESH_POINTS * 2);
  let count = 0;
  for (const m of meshes) {
    count++;
    const f = faceFrame(m);
    for (let i = 0; i < MESH_POINTS; i++) {
      const [x, y] = applySim(f, m[i * 3], m[i * 3 + 1]);
      out[i * 2] += x;
      out[i * 2 + 1] += y;
    }
  }
  for (let i = 0; i < out.length; i++) out[i] /= Math.max(1, count);
  return out;
}

function convexHull(idx: number[], xy: Float64Array): number[] {
  const pts = idx.slice().sort((a, b) => xy[a * 2] - xy[b * 2] || xy[a * 2 + 1] - xy[b * 2 + 1]);
  const cross = (o: number, a: number, b: number): number =>
    (xy[a * 2] - xy[o * 2]) * (xy[b * 2 + 1] - xy[o * 2 + 1]) - (xy[a * 2 + 1] - xy[o * 2 + 1]) * (xy[b * 2] - xy[o * 2]);
  const lower: number[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: number[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

export interface GeometryOptions {
  /** Half-width of the edited region around the mouth, in eye distances (default 0.72). */
  halfWidth?: number;
  /** Outer ring push, as a fraction of the hull point's distance from the mouth centre (default 0.35). */
  outerPush?: number;
  /** Largest follow weight of face-contour points (default 0.3). */
  silhouetteFollow?: number;
}

const OVAL = new Set(FACE_OVAL);
const LIP_SET = new Set([...OUTER_LIP, ...INNER_LIP]);

/** Builds the shot's warp model from the mean face-aligned mesh of its candidate frames. */
export function buildShotGeometry(meshes: Iterable<ArrayLike<number>>, opts: GeometryOptions = {}): ShotGeometry {
  const halfWidth = opts.halfWidth ?? 0.72;
  const push = opts.outerPush ?? 0.35;
  const silhouetteFollow = opts.silhouetteFollow ?? 0.3;
  const m = meanAlignedMesh(meshes);
  const cx = (m[61 * 2] + m[291 * 2]) / 2;
  const cy = (m[61 * 2 + 1] + m[291 * 2 + 1]) / 2;
  const top = m[SUBNASALE * 2 + 1];
  const points: number[] = [];
  for (let i = 0; i < MESH_POINTS; i++) {
    if ((m[i * 2 + 1] >= top && Math.abs(m[i * 2] - cx) <= halfWidth) || LIP_SET.has(i)) points.push(i);
  }
  // how much each point follows the source mouth: 1 around the mouth and chin, 0 at the region's
  // top (under the nose) and sides (cheeks), so the region's border stays on the target's own face
  const up = Math.max(0.05, cy - top);
  const chinDy = Math.max(0.1, m[CHIN * 2 + 1] - cy);
  const follow = points.map((i) => {
    const dx = (m[i * 2] - cx) / halfWidth;
    const dy = m[i * 2 + 1] - cy;
    const e = Math.hypot(dx, dy < 0 ? dy / up : dy / 0.8);
    const f = Math.min(1, Math.max(0, (1 - e) / 0.4));
    let smooth = f * f * (3 - 2 * f);
    // below the mouth, the follow weight falls towards the jaw line so any chin stretch is spread
    // over the whole chin instead of a thin strip at the silhouette
    if (dy > 0) smooth = Math.min(smooth, 1 - (1 - silhouetteFollow) * Math.min(1, dy / chinDy) ** 1.5);
    // the face silhouette moves only a little: where it moves, the background or neck behind it
    // would have to come from the source frame, and that is where smears and seams appear
    return Math.round(Math.min(smooth, OVAL.has(i) ? silhouetteFollow : 1) * 1000) / 1000;
  });
  const hull = convexHull(points, m);
  const triangles = triangulate(points, hull, m, cx, cy, push);
  return { points, follow, outerBase: hull, outerPush: push, triangles, maskLoop: hull };
}

/**
 * Triangles over [points..., pushed hull...]. The lips get explicit triangles (a strip between the
 * outer and inner lip rings, and a strip across the mouth opening between upper and lower inner lip)
 * so no triangle ever straddles a lip line, whatever the opening; the rest of the region is a
 * Delaunay triangulation of the remaining points around the outer lip ring, computed on the mean
 * shape with the mouth held wide open so the lip ring is a clean, nearly convex hole.
 */
function triangulate(points: number[], hull: number[], m: Float64Array, cx: number, cy: number, push: number): number[] {
  const local = new Map<number, number>();
  points.forEach((p, k) => local.set(p, k));
  const shift = new Map<number, number>();
  for (const i of OUTER_UPPER) shift.set(i, -0.02);
  for (const i of INNER_UPPER) shift.set(i, -0.03);
  for (const i of INNER_LOWER) shift.set(i, 0.12);
  for (const i of OUTER_LOWER) shift.set(i, 0.12);
  for (const c of [...MOUTH_CORNERS, 78, 308]) shift.set(c, 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const i of points) {
    xs.push(m[i * 2]);
    ys.push(m[i * 2 + 1] + (shift.get(i) ?? (m[i * 2 + 1] > cy ? 0.12 : 0)));
  }
  for (const h of hull) {
    xs.push(cx + (m[h * 2] - cx) * (1 + push));
    ys.push(cy + (m[h * 2 + 1] - cy) * (1 + push) + (m[h * 2 + 1] > cy ? 0.12 : 0));
  }
  const inner = new Set(INNER_LIP);
  const keep: number[] = [];
  for (let k = 0; k < xs.length; k++) if (k >= points.length || !inner.has(points[k])) keep.push(k);
  const lipX = OUTER_LIP.map((i) => xs[local.get(i)!]);
  const lipY = OUTER_LIP.map((i) => ys[local.get(i)!]);
  const out: number[] = [];
  const dt = delaunay(keep.map((k) => xs[k]), keep.map((k) => ys[k]));
  const ring = new Set(OUTER_LIP.map((i) => local.get(i)!));
  for (let t = 0; t < dt.length; t += 3) {
    const a = keep[dt[t]], b = keep[dt[t + 1]], c = keep[dt[t + 2]];
    const gx = (xs[a] + xs[b] + xs[c]) / 3, gy = (ys[a] + ys[b] + ys[c]) / 3;
    // drop only triangles lying inside the lips (all corners on the lip ring): a triangle that
    // reaches across a concave bit of the ring is kept, or its outside part would be a hole; the
    // lip triangles are drawn after it and win where they overlap
    if (ring.has(a) && ring.has(b) && ring.has(c) && insidePolygon(gx, gy, lipX, lipY)) continue;
    out.push(a, b, c);
  }
  const L = (i: number): number => local.get(i)!;
  const n = OUTER_LIP.length;
  for (let k = 0; k < n; k++) {
    const o0 = L(OUTER_LIP[k]), o1 = L(OUTER_LIP[(k + 1) % n]);
    const i0 = L(INNER_LIP[k]), i1 = L(INNER_LIP[(k + 1) % n]);
    out.push(o0, o1, i0, o1, i1, i0);
  }
  const lowerRev = INNER_LOWER.slice().reverse();
  for (let j = 0; j + 1 < INNER_UPPER.length; j++) {
    const u0 = L(INNER_UPPER[j]), u1 = L(INNER_UPPER[j + 1]);
    const l0 = L(lowerRev[j]), l1 = L(lowerRev[j + 1]);
    if (u0 !== l1 && u1 !== l1) out.push(u0, u1, l1);
    if (u0 !== l0 && l0 !== l1) out.push(u0, l1, l0);
  }
  return out;
}

function insidePolygon(x: number, y: number, xs: number[], ys: number[]): boolean {
  let inside = false;
  for (let i = 0, j = xs.length - 1; i < xs.length; j = i++) {
    if ((ys[i] > y) !== (ys[j] > y) && x < ((xs[j] - xs[i]) * (y - ys[i])) / (ys[j] - ys[i]) + xs[i]) inside = !inside;
  }
  return inside;
}

function mouthCentre(mesh: ArrayLike<number>): Point {
  return [(mesh[61 * 3] + mesh[291 * 3]) / 2, (mesh[61 * 3 + 1] + mesh[291 * 3 + 1]) / 2];
}

/** Control point positions (points then outer ring) in one frame's own geometry, flat [x0,y0,...]. */
export function frameControlPoints(mesh: ArrayLike<number>, g: ShotGeometry): Float64Array {
  const out = new Float64Array((g.points.length + g.outerBase.length) * 2);
  g.points.forEach((i, k) => {
    out[k * 2] = mesh[i * 3];
    out[k * 2 + 1] = mesh[i * 3 + 1];
  });
  const [cx, cy] = mouthCentre(mesh);
  const o = g.points.length;
  g.outerBase.forEach((i, k) => {
    out[(o + k) * 2] = cx + (mesh[i * 3] - cx) * (1 + g.outerPush);
    out[(o + k) * 2 + 1] = cy + (mesh[i * 3 + 1] - cy) * (1 + g.outerPush);
  });
  return out;
}

/**
 * The target frame's new geometry: each control point moves from the target's own position towards
 * the source's position (mapped into the target by the similarity that aligns their stable points),
 * by its follow weight. The outer ring stays put. `openBy` (extra lip gap in tracker units) opens the
 * lips further (closed-mouth footage) by the calibrated geometric amount: upper lip up a little,
 * lower lip and jaw down (most of the opening), tapering at the corners.
 */
export function targetControlPoints(target: ArrayLike<number>, source: ArrayLike<number>, g: ShotGeometry, openBy = 0): Float64Array {
  const own = frameControlPoints(target, g);
  const src = frameControlPoints(source, g);
  const sim = fitSimilarity(
    STABLE.map((i) => pt(source, i)),
    STABLE.map((i) => pt(target, i)),
  );
  const out = new Float64Array(own.length);
  const n = g.points.length;
  for (let k = 0; k < n; k++) {
    const [sx, sy] = applySim(sim, src[k * 2], src[k * 2 + 1]);
    const w = g.follow[k];
    out[k * 2] = own[k * 2] + w * (sx - own[k * 2]);
    out[k * 2 + 1] = own[k * 2 + 1] + w * (sy - own[k * 2 + 1]);
  }
  for (let k = n * 2; k < own.length; k++) out[k] = own[k];
  if (openBy > 0) openLips(out, target, g, openingForGap(openBy));
  return out;
}

function openLips(cp: Float64Array, target: ArrayLike<number>, g: ShotGeometry, openBy: number): void {
  const iod = eyeDistance(target);
  const f = faceFrame(target);
  // the face's "down" direction in image pixels (aligned +y)
  const s = Math.hypot(f.a, f.b);
  const down: Point = [f.b / s, f.a / s];
  const d = openBy * iod;
  const [lx, ly] = pt(target, 61);
  const [rx, ry] = pt(target, 291);
  const mcx = (lx + rx) / 2, mcy = (ly + ry) / 2;
  const half = Math.max(1, Math.hypot(rx - lx, ry - ly) / 2);
  const chinDist = Math.max(1, Math.hypot(target[CHIN * 3] - mcx, target[CHIN * 3 + 1] - mcy));
  const role = new Map<number, number>();
  for (const i of OUTER_UPPER) role.set(i, -0.02);
  for (const i of INNER_UPPER) role.set(i, -0.03);
  for (const i of OUTER_LOWER) role.set(i, 0.85);
  for (const i of INNER_LOWER) role.set(i, 0.85);
  g.points.forEach((i, k) => {
    const px = cp[k * 2] - mcx, py = cp[k * 2 + 1] - mcy;
    const along = (px * -down[1] + py * down[0]) / half; // position along the mouth line, -1..1 at corners
    const below = px * down[0] + py * down[1];
    let amount = role.get(i);
    if (amount !== undefined) {
      amount *= Math.max(0, 1 - along * along);
    } else if (below > 0) {
      // jaw drop: the skin under the lower lip goes down with it, less and less towards the outer
      // ring (which stays put), so the chin region compresses evenly and never folds over the
      // ring however wide the opening; near the mouth corners the skin stays with the (fixed)
      // corners and only deeper down follows the jaw
      const t = below / chinDist;
      const ring = 1 + g.outerPush;
      const radial = Math.min(1, Math.max(0, (ring - t) / (ring - 0.2)));
      const lateral = Math.min(1, Math.max(0, 1 - Math.max(0, Math.abs(along) - 0.7) / 1.3));
      const corner = Math.max(0, 1 - along * along);
      const depth = Math.min(1, t / 0.6);
      amount = 0.85 * radial * lateral * (corner + (1 - corner) * depth);
    } else return;
    cp[k * 2] += down[0] * d * amount;
    cp[k * 2 + 1] += down[1] * d * amount;
  });
}
