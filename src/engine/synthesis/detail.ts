/**
 * Detail restoration after the warp. Resampling at sub-pixel offsets attenuates the finest
 * detail (at a half-pixel offset every symmetric kernel passes nothing at the Nyquist frequency),
 * so a warped mouth looks slightly softer than the frame it came from: stubble, lip texture and
 * teeth edges lose crispness. We measure the fine detail (variance of the luma Laplacian) of the
 * source mouth and of the warped one, and add back just enough of the warped patch's own high
 * band (an unsharp mask with a 3x3 binomial blur) to make the two equal. No detail is invented:
 * the gain only scales what the warp kept, and it is capped so noise is never boosted far.
 */

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Largest gain on the high band (1 = doubles it). */
export const MAX_DETAIL_GAIN = 1;

const luma = (r: number, g: number, b: number): number => 0.299 * r + 0.587 * g + 0.114 * b;

/** Variance of the luma Laplacian over a box of packed rgb (uint8 or float), ignoring the border row. */
export function laplacianVariance(rgb: ArrayLike<number>, width: number, height: number, box: Box): number {
  const x0 = Math.max(1, Math.round(box.x)), y0 = Math.max(1, Math.round(box.y));
  const x1 = Math.min(width - 1, Math.round(box.x + box.w)), y1 = Math.min(height - 1, Math.round(box.y + box.h));
  const L = (x: number, y: number): number => {
    const o = (y * width + x) * 3;
    return luma(rgb[o], rgb[o + 1], rgb[o + 2]);
  };
  let s = 0, s2 = 0, n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const l = 4 * L(x, y) - L(x - 1, y) - L(x + 1, y) - L(x, y - 1) - L(x, y + 1);
      s += l;
      s2 += l * l;
      n++;
    }
  }
  return n > 16 ? s2 / n - (s / n) ** 2 : NaN;
}

/** 3x3 binomial blur of packed rgb floats (edges clamped). */
function binomial3(rgb: Float32Array, w: number, h: number): Float32Array {
  const tmp = new Float32Array(rgb.length);
  const out = new Float32Array(rgb.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const xl = x > 0 ? x - 1 : x, xr = x < w - 1 ? x + 1 : x;
      for (let c = 0; c < 3; c++) tmp[(y * w + x) * 3 + c] = 0.25 * rgb[(y * w + xl) * 3 + c] + 0.5 * rgb[(y * w + x) * 3 + c] + 0.25 * rgb[(y * w + xr) * 3 + c];
    }
  }
  for (let y = 0; y < h; y++) {
    const yu = y > 0 ? y - 1 : y, yd = y < h - 1 ? y + 1 : y;
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) out[(y * w + x) * 3 + c] = 0.25 * tmp[(yu * w + x) * 3 + c] + 0.5 * tmp[(y * w + x) * 3 + c] + 0.25 * tmp[(yd * w + x) * 3 + c];
    }
  }
  return out;
}

/**
 * Scales the warped patch's high band so the fine detail over `box` matches `sourceVariance`
 * (the source mouth's Laplacian variance). Changes `rgb` in place; returns the gain used.
 */
export function restoreDetail(rgb: Float32Array, w: number, h: number, box: Box, sourceVariance: number): number {
  if (!(sourceVariance > 0)) return 0;
  const blurred = binomial3(rgb, w, h);
  // var(A + k·B) = S, with A the Laplacian of the warped luma and B that of its high band
  const x0 = Math.max(1, Math.round(box.x)), y0 = Math.max(1, Math.round(box.y));
  const x1 = Math.min(w - 1, Math.round(box.x + box.w)), y1 = Math.min(h - 1, Math.round(box.y + box.h));
  const la = (arr: Float32Array, x: number, y: number): number => {
    const o = (y * w + x) * 3;
    return luma(arr[o], arr[o + 1], arr[o + 2]);
  };
  const lap = (arr: Float32Array, x: number, y: number): number => 4 * la(arr, x, y) - la(arr, x - 1, y) - la(arr, x + 1, y) - la(arr, x, y - 1) - la(arr, x, y + 1);
  let n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const a = lap(rgb, x, y);
      const b = a - lap(blurred, x, y);
      n++;
      sa += a;
      sb += b;
      saa += a * a;
      sbb += b * b;
      sab += a * b;
    }
  }
  if (n < 16) return 0;
  const vA = saa / n - (sa / n) ** 2, vB = sbb / n - (sb / n) ** 2, cAB = sab / n - (sa / n) * (sb / n);
  if (vA >= sourceVariance || vB <= 1e-9) return 0;
  // vB·k² + 2·cAB·k + (vA − S) = 0, positive root
  const disc = cAB * cAB - vB * (vA - sourceVariance);
  const k = Math.min(MAX_DETAIL_GAIN, Math.max(0, (-cAB + Math.sqrt(Math.max(0, disc))) / vB));
  if (k <= 0) return 0;
  for (let i = 0; i < rgb.length; i++) rgb[i] += k * (rgb[i] - blurred[i]);
  return k;
}
