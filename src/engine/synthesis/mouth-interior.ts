/**
 * Closed-mouth footage has no sample of an open mouth, so when the lips are pulled apart the gap
 * between them has to be painted: a dark mouth cavity (darker towards the middle of the opening,
 * tinted by the lip colour) with a faint band of upper-teeth colour just under the upper lip,
 * anti-aliased at the lip edges.
 */
import { blur3, fillPolygon } from './raster-ops.js';

/**
 * Paints the mouth opening into `rgb` (3 floats per pixel, w × h).
 * @param xs,ys inner-lip polygon in region pixels (the new, opened geometry)
 * @param lipColour mean lip colour (tints the cavity)
 * @param teeth 0..1 strength of the teeth band
 * @returns number of pixels painted (alpha > 0)
 */
export function paintMouthInterior(rgb: Float32Array, w: number, h: number, xs: number[], ys: number[], lipColour: [number, number, number], teeth = 0.5): number {
  const poly = new Float32Array(w * h);
  fillPolygon(poly, w, h, xs, ys, 1);
  // a 1-px soft edge so the cavity does not look cut out
  const soft = blur3(poly, w, h, 1);
  let minX = Infinity, maxX = -Infinity;
  for (const x of xs) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); }
  const cx = (minX + maxX) / 2, half = Math.max(1, (maxX - minX) / 2);
  const cavity: [number, number, number] = [lipColour[0] * 0.22 + 8, lipColour[1] * 0.12 + 4, lipColour[2] * 0.12 + 5];
  const teethCol: [number, number, number] = [205, 198, 188];
  let painted = 0;
  const x0 = Math.max(0, Math.floor(minX) - 2), x1 = Math.min(w - 1, Math.ceil(maxX) + 2);
  for (let x = x0; x <= x1; x++) {
    // vertical extent of the opening in this column
    let top = -1, bot = -1;
    for (let y = 0; y < h; y++) {
      if (poly[y * w + x] > 0) {
        if (top < 0) top = y;
        bot = y;
      }
    }
    const along = (x - cx) / half;
    const taper = Math.max(0, 1 - along * along);
    for (let y = Math.max(0, top - 2); top >= 0 && y <= Math.min(h - 1, bot + 2); y++) {
      const a = soft[y * w + x];
      if (a <= 0) continue;
      const gapPx = bot - top + 1;
      const t = gapPx > 1 ? Math.min(1, Math.max(0, (y - top) / (gapPx - 1))) : 0.5;
      // darkest in the middle of the opening, a little lighter near the lips
      const shade = 0.7 + 0.6 * Math.abs(2 * t - 1) ** 2;
      let r = cavity[0] * shade, g = cavity[1] * shade, b = cavity[2] * shade;
      // teeth show just under the upper lip, only when the opening is big enough to see them
      const band = 0.3;
      if (t < band && teeth > 0) {
        const k = teeth * (1 - t / band) * taper * Math.min(1, gapPx / 8);
        r += (teethCol[0] - r) * k; g += (teethCol[1] - g) * k; b += (teethCol[2] - b) * k;
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
