/**
 * Colour/light match: the source mouth comes from another moment of the shot, when the head (and so
 * the shading on the skin) may have been slightly different. A low-frequency per-channel gain map,
 * measured on skin around the mouth (lips and mouth opening excluded), scales the warped source to
 * the target's local brightness and tint, so the blend has no visible step. The map is smooth by
 * construction, so it is computed on a grid several times coarser than the pixels and interpolated.
 */
import { blur3 } from './raster-ops.js';

/**
 * Scales `warped` (3 floats per pixel, w × h) in place towards `target` (3 floats per pixel over the
 * same region) using weights `skin` (0..1) to decide where the two can be compared.
 * @param radius blur radius of the gain map in pixels (a fraction of the face size)
 * @returns the global per-channel gains used where skin is sparse (for reporting)
 */
export function matchColour(warped: Float32Array, target: Float32Array, skin: Float32Array, w: number, h: number, radius: number): [number, number, number] {
  const n = w * h;
  let sw = 0;
  for (let i = 0; i < n; i++) sw += skin[i];
  if (sw < 16) return [1, 1, 1];
  // coarse grid: cells of f × f pixels
  const f = Math.max(1, Math.floor(radius / 6));
  const cw = Math.ceil(w / f), ch = Math.ceil(h / f);
  const cn = cw * ch;
  const globals: [number, number, number] = [1, 1, 1];
  const gains: Float32Array[] = [];
  for (let c = 0; c < 3; c++) {
    const tw = new Float32Array(cn);
    const ww = new Float32Array(cn);
    let st = 0, sws = 0;
    for (let y = 0; y < h; y++) {
      const crow = Math.floor(y / f) * cw;
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const s = skin[i];
        if (s === 0) continue;
        const ci = crow + Math.floor(x / f);
        const t = target[i * 3 + c] * s, v = warped[i * 3 + c] * s;
        tw[ci] += t;
        ww[ci] += v;
        st += t;
        sws += v;
      }
    }
    const g0 = clampGain(sws > 0 ? st / sws : 1);
    globals[c] = Math.round(g0 * 1000) / 1000;
    const rr = Math.max(1, Math.round(radius / f));
    const bt = blur3(tw, cw, ch, rr);
    const bw = blur3(ww, cw, ch, rr);
    // regularised ratio: local where skin is dense, the global gain where it is sparse
    const lam = 0.05 * (sws / sw) * f * f;
    const g = new Float32Array(cn);
    for (let i = 0; i < cn; i++) g[i] = clampGain((bt[i] + lam * g0) / (bw[i] + lam));
    gains.push(g);
  }
  // bilinear upsampling of the coarse gains (cell centres at (k + 0.5) * f - 0.5)
  for (let y = 0; y < h; y++) {
    let gy = (y + 0.5) / f - 0.5;
    gy = gy < 0 ? 0 : gy > ch - 1 ? ch - 1 : gy;
    const y0 = Math.floor(gy), y1 = Math.min(ch - 1, y0 + 1), fy = gy - y0;
    for (let x = 0; x < w; x++) {
      let gx = (x + 0.5) / f - 0.5;
      gx = gx < 0 ? 0 : gx > cw - 1 ? cw - 1 : gx;
      const x0 = Math.floor(gx), x1 = Math.min(cw - 1, x0 + 1), fx = gx - x0;
      const a = y0 * cw + x0, b = y0 * cw + x1, cc = y1 * cw + x0, d = y1 * cw + x1;
      const o = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const G = gains[c];
        const gain = (G[a] * (1 - fx) + G[b] * fx) * (1 - fy) + (G[cc] * (1 - fx) + G[d] * fx) * fy;
        const v = warped[o + c] * gain;
        warped[o + c] = v > 255 ? 255 : v;
      }
    }
  }
  return globals;
}

function clampGain(g: number): number {
  return g < 0.6 ? 0.6 : g > 1.6 ? 1.6 : g;
}
