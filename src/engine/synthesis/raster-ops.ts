/**
 * Float raster helpers for the renderer: polygon fill, separable box blur (three passes ≈ Gaussian),
 * and region crops. All work on single-channel Float32Array planes of a given width × height.
 */
import { Scratch } from './scratch.js';

/** Sets `value` on pixels whose centre is inside the polygon (even-odd rule). Coordinates are plane pixels. */
export function fillPolygon(plane: Float32Array, width: number, height: number, xs: ArrayLike<number>, ys: ArrayLike<number>, value = 1): void {
  const n = xs.length;
  if (n < 3) return;
  let minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) { minY = Math.min(minY, ys[i]); maxY = Math.max(maxY, ys[i]); }
  const y0 = Math.max(0, Math.ceil(minY - 0.5));
  const y1 = Math.min(height - 1, Math.floor(maxY - 0.5));
  const cuts: number[] = [];
  for (let y = y0; y <= y1; y++) {
    const cy = y + 0.5;
    cuts.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const ya = ys[j], yb = ys[i];
      if ((ya <= cy && yb > cy) || (yb <= cy && ya > cy)) cuts.push(xs[j] + ((cy - ya) / (yb - ya)) * (xs[i] - xs[j]));
    }
    cuts.sort((a, b) => a - b);
    for (let k = 0; k + 1 < cuts.length; k += 2) {
      const xa = Math.max(0, Math.ceil(cuts[k] - 0.5));
      const xb = Math.min(width - 1, Math.floor(cuts[k + 1] - 0.5));
      for (let x = xa; x <= xb; x++) plane[y * width + x] = value;
    }
  }
}

/**
 * One box-blur pass along rows then columns, radius r (window 2r+1), edges clamped. The column pass
 * walks rows with one running sum per column, so memory is read in order (a strided column walk
 * is several times slower on large regions).
 */
function boxPass(src: Float32Array, dst: Float32Array, tmp: Float32Array, w: number, h: number, r: number, acc: Float64Array): void {
  const inv = 1 / (2 * r + 1);
  for (let y = 0; y < h; y++) {
    const row = y * w;
    let a = 0;
    for (let k = -r; k <= r; k++) a += src[row + (k < 0 ? 0 : k >= w ? w - 1 : k)];
    for (let x = 0; x < w; x++) {
      tmp[row + x] = a * inv;
      const add = x + r + 1, sub = x - r;
      a += src[row + (add >= w ? w - 1 : add)] - src[row + (sub < 0 ? 0 : sub)];
    }
  }
  acc.fill(0, 0, w);
  for (let k = -r; k <= r; k++) {
    const row = (k < 0 ? 0 : k >= h ? h - 1 : k) * w;
    for (let x = 0; x < w; x++) acc[x] += tmp[row + x];
  }
  for (let y = 0; y < h; y++) {
    const row = y * w;
    const addRow = (y + r + 1 >= h ? h - 1 : y + r + 1) * w;
    const subRow = (y - r < 0 ? 0 : y - r) * w;
    for (let x = 0; x < w; x++) {
      dst[row + x] = acc[x] * inv;
      acc[x] += tmp[addRow + x] - tmp[subRow + x];
    }
  }
}

/**
 * Three box passes of radius r: close to a Gaussian of sigma ≈ r (cheap at any radius). Returns a new
 * plane, or with a shared `scratch` the slot's plane (valid until that slot is asked for again).
 */
export function blur3(src: Float32Array, w: number, h: number, r: number, scratch = new Scratch(), slot = 'blur3'): Float32Array {
  const out = scratch.floats(slot, src.length, false);
  out.set(src);
  if (r < 1) return out;
  const tmp = scratch.floats(`${slot}:tmp`, src.length, false);
  const acc = scratch.doubles(`${slot}:acc`, w, false);
  for (let p = 0; p < 3; p++) boxPass(out, out, tmp, w, h, r, acc);
  return out;
}

/** A polygon in plane pixels (pixel (x, y) covers [x, x+1) × [y, y+1)). */
export interface Polygon {
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
}

/**
 * The filled polygons blurred by blur3 of radius r, as a w × h plane in the scratch slot. A wide
 * blur has no detail at the pixel scale, so for r ≥ 4 the fill and the blur run at half resolution
 * (a quarter of the work) and the result is interpolated bilinearly back to full size.
 */
export function blurredPolygons(polys: Polygon[], w: number, h: number, r: number, scratch: Scratch, slot: string): Float32Array {
  if (r < 4) {
    const plane = scratch.floats(`${slot}:fill`, w * h);
    for (const p of polys) fillPolygon(plane, w, h, p.xs, p.ys, 1);
    return blur3(plane, w, h, r, scratch, slot);
  }
  const hw = Math.ceil(w / 2), hh = Math.ceil(h / 2);
  const half = scratch.floats(`${slot}:fill`, hw * hh);
  for (const p of polys) fillPolygon(half, hw, hh, Array.from(p.xs, (x) => x / 2), Array.from(p.ys, (y) => y / 2), 1);
  const soft = blur3(half, hw, hh, Math.round(r / 2), scratch, `${slot}:half`);
  const out = scratch.floats(slot, w * h, false);
  // full-resolution pixel x has its centre at (x + 0.5) / 2 − 0.5 on the half-resolution grid
  const x0 = scratch.floats(`${slot}:x0`, w, false), fx = scratch.floats(`${slot}:fx`, w, false);
  for (let x = 0; x < w; x++) {
    const gx = Math.min(hw - 1, Math.max(0, (x + 0.5) / 2 - 0.5));
    x0[x] = Math.floor(gx);
    fx[x] = gx - x0[x];
  }
  upsampleHalf(soft, hw, hh, out, w, h, x0, fx);
  return out;
}

/**
 * Bilinear upsampling of a half-resolution plane (a function of its own so its compiled code
 * survives whatever blurredPolygons meets; see render.ts).
 */
function upsampleHalf(soft: Float32Array, hw: number, hh: number, out: Float32Array, w: number, h: number, x0: Float32Array, fx: Float32Array): void {
  for (let y = 0; y < h; y++) {
    const gy = Math.min(hh - 1, Math.max(0, (y + 0.5) / 2 - 0.5));
    const r0 = Math.floor(gy), r1 = Math.min(hh - 1, r0 + 1), fy = gy - r0;
    const a = r0 * hw, b = r1 * hw;
    for (let x = 0; x < w; x++) {
      const c0 = x0[x], c1 = c0 + 1 < hw ? c0 + 1 : c0, f = fx[x];
      const top = soft[a + c0] + f * (soft[a + c1] - soft[a + c0]);
      const bottom = soft[b + c0] + f * (soft[b + c1] - soft[b + c0]);
      out[y * w + x] = top + fy * (bottom - top);
    }
  }
}

/** Integer rectangle [x, y, w, h]. */
export type RectTuple = [number, number, number, number];

/** Bounding box of points (flat x,y), grown by `margin`, clipped to the frame; null when empty. */
export function boundsOf(xy: ArrayLike<number>, margin: number, width: number, height: number): RectTuple | null {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    x0 = Math.min(x0, xy[i]); x1 = Math.max(x1, xy[i]);
    y0 = Math.min(y0, xy[i + 1]); y1 = Math.max(y1, xy[i + 1]);
  }
  if (!Number.isFinite(x0 + x1 + y0 + y1)) return null;
  const ax = Math.max(0, Math.floor(x0 - margin));
  const ay = Math.max(0, Math.floor(y0 - margin));
  const bx = Math.min(width, Math.ceil(x1 + margin) + 1);
  const by = Math.min(height, Math.ceil(y1 + margin) + 1);
  if (bx <= ax || by <= ay) return null;
  return [ax, ay, bx - ax, by - ay];
}

/** Convex hull of points (Andrew's monotone chain), counter-clockwise in image coordinates, no repeats. */
export function convexHull(xs: ArrayLike<number>, ys: ArrayLike<number>): Array<[number, number]> {
  const pts: Array<[number, number]> = [];
  for (let i = 0; i < xs.length; i++) pts.push([xs[i], ys[i]]);
  pts.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: [number, number], a: [number, number], b: [number, number]): number => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}
