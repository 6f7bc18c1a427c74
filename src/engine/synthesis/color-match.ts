/**
 * Colour/light match: the source mouth comes from another moment of the shot, when the head (and so
 * the shading on the skin) may have been slightly different. A low-frequency per-channel gain map,
 * measured on skin around the mouth (lips and mouth opening excluded), scales the warped source to
 * the target's local brightness and tint, so the blend has no visible step.
 */
import { blur3 } from './raster-ops.js';

/**
 * Scales `warped` (3 floats per pixel, w × h) in place towards `target` (packed rgb over the same
 * region) using weights `skin` (0..1) to decide where the two can be compared.
 * @param radius blur radius of the gain map in pixels (a fraction of the face size)
 * @returns the global per-channel gains that were used as the fallback (for reporting)
 */
export function matchColour(warped: Float32Array, target: Float32Array, skin: Float32Array, w: number, h: number, radius: number): [number, number, number] {
  const n = w * h;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += skin[i];
  if (sw < 16) return [1, 1, 1];
  const globals: [number, number, number] = [1, 1, 1];
  const tw = new Float32Array(n);
  const ww = new Float32Array(n);
  for (let c = 0; c < 3; c++) {
    let st = 0, sws = 0;
    for (let i = 0; i < n; i++) {
      const s = skin[i];
      tw[i] = target[i * 3 + c] * s;
      ww[i] = warped[i * 3 + c] * s;
      st += tw[i];
      sws += ww[i];
    }
    const g0 = clampGain(sws > 0 ? st / sws : 1);
    globals[c] = Math.round(g0 * 1000) / 1000;
    const meanW = sws / sw;
    const bt = blur3(tw, w, h, radius);
    const bw = blur3(ww, w, h, radius);
    // regularised ratio: local where skin is dense, the global gain where it is sparse
    const lam = 0.05 * meanW;
    for (let i = 0; i < n; i++) {
      const g = clampGain((bt[i] + lam * g0) / (bw[i] + lam));
      const v = warped[i * 3 + c] * g;
      warped[i * 3 + c] = v > 255 ? 255 : v;
    }
  }
  return globals;
}

function clampGain(g: number): number {
  return g < 0.6 ? 0.6 : g > 1.6 ? 1.6 : g;
}
