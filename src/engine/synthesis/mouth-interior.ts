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
 * @param skinColour mean skin colour around the mouth (sets the teeth brightness for the scene's light)
 * @param teeth 0..1 strength of the teeth band
 * @returns number of pixels painted (alpha > 0)
 */
export function paintMouthInterior(rgb: Float32Array, w: number, h: number, xs: number[], ys: number[], lipColour: [number, number, number], skinColour: [number, number, number], teeth = 0.6): number {
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
    let top = -1, bot = -1;
    for (let y = 0; y < h; y++) {
      if (poly[y * w + x] > 0) {
        if (top < 0) top = y;
        bot = y;
      }
    }
    const along = (x - cx) / half;
    for (let y = Math.max(0, top - 2); top >= 0 && y <= Math.min(h - 1, bot + 2); y++) {
      const a = soft[y * w + x];
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
