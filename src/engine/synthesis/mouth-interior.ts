/**
 * Closed-mouth footage has no sample of an open mouth, so when the lips are pulled apart the gap
 * between them has to be painted: a dark mouth cavity (darker towards the middle of the opening,
 * tinted by the lip colour) with a faint band of upper-teeth colour just under the upper lip,
 * anti-aliased at the lip edges.
 *
 * When the lips were already parted (a still photo of someone mid-word, teeth showing), the old
 * opening is not painted over: its upper part stays under the upper lip and its lower part above
 * the lower lip, as teeth move with their jaw, and only the gap that opens between them is new
 * (splitOpening). Painting the whole opening swapped the person's teeth for the painted cavity at
 * the first frame that opened, a visible pop; warping it instead stretched the teeth tall.
 */
import { blur3, fillPolygon } from './raster-ops.js';

/**
 * Paints the mouth opening into `rgb` (3 floats per pixel, w × h).
 * @param xs,ys inner-lip polygon in region pixels (the new, opened geometry)
 * @param lipColour mean lip colour (tints the cavity)
 * @param skinColour mean skin colour around the mouth (sets the teeth brightness for the scene's light)
 * @param teeth 0..1 strength of the teeth band
 * @returns number of pixels painted (alpha > 0)
 */
export function paintMouthInterior(rgb: Float32Array, w: number, h: number, xs: number[], ys: number[], lipColour: [number, number, number], skinColour: [number, number, number], teeth = 0.6, keep?: Float32Array): number {
  const poly = new Float32Array(w * h);
  fillPolygon(poly, w, h, xs, ys, 1);
  // a 1-px soft edge so the cavity does not look cut out
  const soft = blur3(poly, w, h, 1);
  let minX = Infinity, maxX = -Infinity;
  for (const x of xs) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); }
  const cx = (minX + maxX) / 2, half = Math.max(1, (maxX - minX) / 2);
  const cavity: [number, number, number] = [lipColour[0] * 0.22 + 8, lipColour[1] * 0.12 + 4, lipColour[2] * 0.12 + 5];
  // teeth: a little brighter and less saturated than the skin under the same light
  const lum = 0.299 * skinColour[0] + 0.587 * skinColour[1] + 0.114 * skinColour[2];
  const teethCol: [number, number, number] = [Math.min(245, lum * 1.06 + 6), Math.min(242, lum * 1.04 + 6), Math.min(238, lum * 1.0 + 6)];
  let painted = 0;
  const x0 = Math.max(0, Math.floor(minX) - 2), x1 = Math.min(w - 1, Math.ceil(maxX) + 2);
  for (let x = x0; x <= x1; x++) {
    // vertical extent of the opening in this column
    const [top, bot] = extent(poly, w, h, x);
    const along = (x - cx) / half;
    for (let y = Math.max(0, top - 2); top >= 0 && y <= Math.min(h - 1, bot + 2); y++) {
      const a = soft[y * w + x] * (keep ? 1 - keep[y * w + x] : 1);
      if (a <= 0) continue;
      const gapPx = bot - top + 1;
      const t = gapPx > 1 ? Math.min(1, Math.max(0, (y - top) / (gapPx - 1))) : 0.5;
      // darkest in the middle of the opening, a little lighter near the lips
      const shade = 0.7 + 0.6 * Math.abs(2 * t - 1) ** 2;
      let r = cavity[0] * shade, g = cavity[1] * shade, b = cavity[2] * shade;
      // upper teeth show just under the upper lip: a band with a soft lower edge, fading before the
      // mouth corners, shadowed right under the lip, and only once the opening is big enough
      if (teeth > 0) {
        const edge = t < 0.24 ? 1 : t > 0.36 ? 0 : (0.36 - t) / 0.12;
        const side = Math.min(1, Math.max(0, (1 - Math.abs(along)) / 0.4));
        const k = teeth * edge * side * Math.min(1, Math.max(0, (gapPx - 3) / 10));
        const shadow = 0.78 + 0.22 * Math.min(1, t / 0.1);
        r += (teethCol[0] * shadow - r) * k; g += (teethCol[1] * shadow - g) * k; b += (teethCol[2] * shadow - b) * k;
      }
      const o = (y * w + x) * 3;
      rgb[o] += (r - rgb[o]) * a;
      rgb[o + 1] += (g - rgb[o + 1]) * a;
      rgb[o + 2] += (b - rgb[o + 2]) * a;
      painted++;
    }
  }
  return painted;
}

/** Rows over which kept content fades into the cavity, and columns the cut is averaged over (each side). */
const RAMP = 3;
const CUT_SMOOTH = 6;

/**
 * Pulls an already parted mouth further open without stretching what showed between the lips.
 * `rgb` holds the warp into the opened geometry, where the old opening (inner-lip polygon oldXs/
 * oldYs, in the same geometry without the extra opening) is stretched to fill the new one (newXs/
 * newYs). Column by column the old opening is cut where it is darkest (the gap between upper and
 * lower teeth, looked for between a quarter and nine tenths of the way down, and smoothed across
 * columns): the part above stays at its own height under the upper lip, the part below above the
 * lower lip, and the rows between are left for the cavity.
 * Returns the keep plane (1 where old content shows, ramping to 0 over RAMP pixels towards the cut,
 * and carried two pixels past the lips so the cavity's soft edge does not darken kept teeth) and
 * the old opening's tallest column in pixels.
 */
export function splitOpening(rgb: Float32Array, w: number, h: number, oldXs: number[], oldYs: number[], newXs: number[], newYs: number[]): { keep: Float32Array; oldGapPx: number } {
  const oldPoly = new Float32Array(w * h);
  const newPoly = new Float32Array(w * h);
  fillPolygon(oldPoly, w, h, oldXs, oldYs, 1);
  fillPolygon(newPoly, w, h, newXs, newYs, 1);
  const keep = new Float32Array(w * h);
  const top1 = new Int32Array(w).fill(-1), bot1 = new Int32Array(w), g0 = new Int32Array(w);
  const cut = new Float64Array(w).fill(NaN);
  let oldGapPx = 0;
  // where each column's old opening is darkest, as a fraction of its height
  for (let x = 0; x < w; x++) {
    const [t1, b1] = extent(newPoly, w, h, x);
    const [t0, b0] = extent(oldPoly, w, h, x);
    if (t1 < 0 || t0 < 0) continue;
    top1[x] = t1;
    bot1[x] = b1;
    g0[x] = b0 - t0 + 1;
    oldGapPx = Math.max(oldGapPx, g0[x]);
    const g1 = b1 - t1 + 1;
    if (g0[x] < 2 || g1 <= g0[x]) continue;
    const stretch = g1 / g0[x];
    let best = Infinity;
    for (let d = Math.floor(0.25 * g0[x]); d <= Math.ceil(0.9 * g0[x]) - 1; d++) {
      let l = 0;
      for (let k = -1; k <= 1; k++) l += luma(rgb, w, h, x, t1 + (d + k) * stretch);
      if (l < best) [best, cut[x]] = [l, (d + 0.5) / g0[x]];
    }
  }
  const smooth = boxNaN(cut, CUT_SMOOTH);
  const column = new Float32Array(h * 3);
  for (let x = 0; x < w; x++) {
    if (top1[x] < 0 || g0[x] < 2) continue; // a closed column: all cavity
    const t1 = top1[x], b1 = bot1[x], g1 = b1 - t1 + 1;
    if (g1 <= g0[x] || !Number.isFinite(smooth[x])) {
      for (let y = t1; y <= b1; y++) keep[y * w + x] = 1;
      continue;
    }
    for (let y = 0; y < h; y++) for (let c = 0; c < 3; c++) column[y * 3 + c] = rgb[(y * w + x) * 3 + c];
    const stretch = g1 / g0[x];
    const above = smooth[x] * g0[x], below = g0[x] - above;
    for (let y = t1; y <= b1; y++) {
      const fromTop = y - t1, fromBottom = b1 - y;
      const upper = fromTop + 0.5 < above;
      const k = upper ? Math.min(1, (above - fromTop) / RAMP) : Math.min(1, Math.max(0, (below - fromBottom) / RAMP));
      if (k <= 0) continue;
      // where this old row ended up in the stretched warp
      const src = upper ? t1 + fromTop * stretch : b1 - fromBottom * stretch;
      const y0 = Math.max(0, Math.min(h - 1, Math.floor(src))), y1 = Math.min(h - 1, y0 + 1), f = src - Math.floor(src);
      for (let c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = column[y0 * 3 + c] * (1 - f) + column[y1 * 3 + c] * f;
      keep[y * w + x] = k;
    }
    for (let e = 1; e <= 2; e++) {
      if (t1 - e >= 0) keep[(t1 - e) * w + x] = keep[t1 * w + x];
      if (b1 + e < h) keep[(b1 + e) * w + x] = keep[b1 * w + x];
    }
  }
  return { keep, oldGapPx };
}

/** Luma of column x at a fractional row (linear between rows, clamped to the plane). */
function luma(rgb: Float32Array, w: number, h: number, x: number, y: number): number {
  const y0 = Math.max(0, Math.min(h - 1, Math.floor(y))), y1 = Math.min(h - 1, y0 + 1), f = Math.max(0, Math.min(1, y - y0));
  const at = (yy: number): number => 0.299 * rgb[(yy * w + x) * 3] + 0.587 * rgb[(yy * w + x) * 3 + 1] + 0.114 * rgb[(yy * w + x) * 3 + 2];
  return at(y0) * (1 - f) + at(y1) * f;
}

/** Mean over ±r neighbours, ignoring NaN (NaN where all are). */
function boxNaN(v: Float64Array, r: number): Float64Array {
  const out = new Float64Array(v.length).fill(NaN);
  for (let i = 0; i < v.length; i++) {
    let s = 0, n = 0;
    for (let j = Math.max(0, i - r); j <= Math.min(v.length - 1, i + r); j++) if (Number.isFinite(v[j])) { s += v[j]; n++; }
    if (n && Number.isFinite(v[i])) out[i] = s / n;
  }
  return out;
}

/** First and last row of column x inside a filled polygon plane ([-1, -1] when none). */
function extent(poly: Float32Array, w: number, h: number, x: number): [number, number] {
  let top = -1, bot = -1;
  for (let y = 0; y < h; y++) {
    if (poly[y * w + x] > 0) {
      if (top < 0) top = y;
      bot = y;
    }
  }
  return [top, bot];
}
