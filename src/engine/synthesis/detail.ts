/**
 * Detail restoration after the warp. Resampling at sub-pixel offsets attenuates the finest
 * detail (at a half-pixel offset every symmetric kernel passes nothing at the Nyquist frequency),
 * so a warped mouth looks slightly softer than the frame it came from: stubble, lip texture and
 * teeth edges lose crispness. We measure the fine detail (variance of the luma Laplacian) of the
 * source mouth and of the warped one, and add back just enough of the warped patch's own high
 * band (an unsharp mask with a 3x3 binomial blur) to make the two equal. No detail is invented:
 * the gain only scales what the warp kept, and it is capped so noise is never boosted far.
 */
import { PairMoments } from '../audio/stats.js';
import { Scratch } from './scratch.js';

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Largest gain on the high band (1 = doubles it). */
export const MAX_DETAIL_GAIN = 1;

/**
 * Luma plane of packed rgb (uint8 or float) over a box, with a border of `border` pixels (one for
 * the Laplacian; coordinates outside the image repeat its edge).
 */
function lumaPlane(rgb: ArrayLike<number>, width: number, height: number, x0: number, y0: number, x1: number, y1: number, border = 1, scratch = new Scratch()): { plane: Float32Array; pw: number } {
  const pw = x1 - x0 + 2 * border, ph = y1 - y0 + 2 * border;
  const plane = scratch.floats('detail:luma', pw * ph, false);
  for (let y = 0; y < ph; y++) {
    const sy = Math.min(height - 1, Math.max(0, y0 - border + y));
    for (let x = 0; x < pw; x++) {
      const sx = Math.min(width - 1, Math.max(0, x0 - border + x));
      const o = (sy * width + sx) * 3;
      plane[y * pw + x] = 0.299 * rgb[o] + 0.587 * rgb[o + 1] + 0.114 * rgb[o + 2];
    }
  }
  return { plane, pw };
}

/** Laplacian at interior point (x, y) of a luma plane (plane coordinates). */
function lapAt(p: Float32Array, pw: number, x: number, y: number): number {
  const i = y * pw + x;
  return 4 * p[i] - p[i - 1] - p[i + 1] - p[i - pw] - p[i + pw];
}

/** Integer box clipped so its Laplacian stays inside the image. */
function clip(box: Box, width: number, height: number): [number, number, number, number] {
  const x0 = Math.max(1, Math.round(box.x)), y0 = Math.max(1, Math.round(box.y));
  const x1 = Math.min(width - 1, Math.round(box.x + box.w)), y1 = Math.min(height - 1, Math.round(box.y + box.h));
  return [x0, y0, x1, y1];
}

/** Variance of the luma Laplacian over a box of packed rgb (uint8 or float), ignoring the border row. */
export function laplacianVariance(rgb: ArrayLike<number>, width: number, height: number, box: Box): number {
  const [x0, y0, x1, y1] = clip(box, width, height);
  if (x1 <= x0 || y1 <= y0) return NaN;
  const { plane, pw } = lumaPlane(rgb, width, height, x0, y0, x1, y1);
  let s = 0, s2 = 0, n = 0;
  for (let y = 1; y <= y1 - y0; y++) {
    for (let x = 1; x <= x1 - x0; x++) {
      const l = lapAt(plane, pw, x, y);
      s += l;
      s2 += l * l;
      n++;
    }
  }
  return n > 16 ? s2 / n - (s / n) ** 2 : NaN;
}

/** 3x3 binomial blur of a packed plane of `channels` floats per pixel (edges clamped). */
function binomial3(src: Float32Array, w: number, h: number, channels: number, scratch: Scratch, slot: string): Float32Array {
  const tmp = scratch.floats(`${slot}:tmp`, src.length, false);
  const out = scratch.floats(slot, src.length, false);
  binomialRows(src, tmp, w, h, channels);
  binomialColumns(tmp, out, w * channels, h);
  return out;
}

// The loops below are functions of their own so their compiled code survives (see synthesis/render.ts).

function binomialRows(src: Float32Array, tmp: Float32Array, w: number, h: number, channels: number): void {
  const row = w * channels;
  for (let y = 0; y < h; y++) {
    const r0 = y * row;
    for (let x = 0; x < w; x++) {
      const l = x > 0 ? -channels : 0, r = x < w - 1 ? channels : 0;
      const o = r0 + x * channels;
      for (let c = 0; c < channels; c++) tmp[o + c] = 0.25 * src[o + c + l] + 0.5 * src[o + c] + 0.25 * src[o + c + r];
    }
  }
}

function binomialColumns(tmp: Float32Array, out: Float32Array, row: number, h: number): void {
  for (let y = 0; y < h; y++) {
    const u = y > 0 ? -row : 0, d = y < h - 1 ? row : 0;
    const r0 = y * row;
    for (let i = r0; i < r0 + row; i++) out[i] = 0.25 * tmp[i + u] + 0.5 * tmp[i] + 0.25 * tmp[i + d];
  }
}

/**
 * Moments of the Laplacian of `plane` (A) and of its high band, plane − blurred (B), over the box's
 * interior; where `ok` is given (box-sized, row-major), only at the points it marks.
 */
function laplacianMoments(plane: Float32Array, blurred: Float32Array, pw: number, bw: number, bh: number, ok?: Uint8Array): PairMoments {
  const m = new PairMoments();
  for (let y = 2; y <= bh + 1; y++) {
    for (let x = 2; x <= bw + 1; x++) {
      if (ok && !ok[(y - 2) * bw + (x - 2)]) continue;
      const la = lapAt(plane, pw, x, y);
      m.add(la, la - lapAt(blurred, pw, x, y));
    }
  }
  return m;
}

/**
 * Box points [x0, x1) × [y0, y1) whose Laplacian and blurred Laplacian read only valid pixels: the
 * 5×5 neighbourhood (the blur's 3×3 under the Laplacian's cross) lies where `valid` is set (image
 * coordinates clamped at the edges, as lumaPlane reads them). Separable: rows, then columns.
 */
function validPoints(valid: ArrayLike<number>, w: number, h: number, x0: number, y0: number, x1: number, y1: number, scratch: Scratch): Uint8Array {
  const bw = x1 - x0, bh = y1 - y0;
  const rows = scratch.bytes('detail:validRows', bw * (bh + 4), false); // every entry is written
  for (let r = 0; r < bh + 4; r++) {
    const sy = Math.min(h - 1, Math.max(0, y0 - 2 + r));
    for (let x = 0; x < bw; x++) {
      let all = 1;
      for (let d = -2; d <= 2 && all; d++) all = valid[sy * w + Math.min(w - 1, Math.max(0, x0 + x + d))] ? 1 : 0;
      rows[r * bw + x] = all;
    }
  }
  const ok = scratch.bytes('detail:validPoints', bw * bh, false);
  for (let y = 0; y < bh; y++)
    for (let x = 0; x < bw; x++) {
      let all = 1;
      for (let d = 0; d < 5 && all; d++) all = rows[(y + d) * bw + x];
      ok[y * bw + x] = all;
    }
  return ok;
}

function addHighBand(rgb: Float32Array, blurredRgb: Float32Array, k: number): void {
  for (let i = 0; i < rgb.length; i++) rgb[i] += k * (rgb[i] - blurredRgb[i]);
}

/**
 * Scales the warped patch's high band so the fine detail over `box` matches `sourceVariance`
 * (the source mouth's Laplacian variance). Changes `rgb` in place; returns the gain used.
 * @param valid optional per-pixel mask of `rgb` (non-zero: warped). The statistics skip what the
 *   warp left empty: where the mouth box reaches past the warped area (a nose close above the lips
 *   cuts the mask short), the step from skin to the empty pixels' zeros outweighed all the detail
 *   (demo1: 3.4× the source's variance), and the lips were never given their detail back.
 */
export function restoreDetail(rgb: Float32Array, w: number, h: number, box: Box, sourceVariance: number, scratch = new Scratch(), valid?: ArrayLike<number>): number {
  if (!(sourceVariance > 0)) return 0;
  const [x0, y0, x1, y1] = clip(box, w, h);
  if ((x1 - x0) * (y1 - y0) < 16) return 0;
  const ok = valid ? validPoints(valid, w, h, x0, y0, x1, y1, scratch) : undefined;
  // var(A + k·B) = S, with A the Laplacian of the warped luma and B that of its high band. Luma is
  // linear in RGB, so the high band's luma is the luma's own high band: the whole patch is blurred
  // only when a gain is needed (most frames need none). The plane has a two-pixel border: one for
  // the Laplacian, one so the blur at the Laplacian's border sees its neighbours.
  const { plane, pw } = lumaPlane(rgb, w, h, x0, y0, x1, y1, 2, scratch);
  const blurred = binomial3(plane, pw, plane.length / pw, 1, scratch, 'detail:lumaBlur');
  const m = laplacianMoments(plane, blurred, pw, x1 - x0, y1 - y0, ok);
  if (m.n < 16) return 0;
  const vA = m.ssA / m.n, vB = m.ssB / m.n, cAB = m.spAB / m.n;
  if (vA >= sourceVariance || vB <= 1e-9) return 0;
  // vB·k² + 2·cAB·k + (vA − S) = 0, positive root
  const disc = cAB * cAB - vB * (vA - sourceVariance);
  const k = Math.min(MAX_DETAIL_GAIN, Math.max(0, (-cAB + Math.sqrt(Math.max(0, disc))) / vB));
  if (k <= 0) return 0;
  const blurredRgb = binomial3(rgb, w, h, 3, scratch, 'detail:rgbBlur');
  addHighBand(rgb, blurredRgb, k);
  return k;
}
