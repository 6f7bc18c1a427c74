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
 * @param need optional region-sized mask of the pixels that hold warped colour (others are skipped)
 * @returns the global per-channel gains used where skin is sparse (for reporting)
 */
export function matchColour(warped: Float32Array, target: Float32Array, skin: Float32Array, w: number, h: number, radius: number, need?: Uint8Array): [number, number, number] {
  const sw = sum(skin, w * h);
  if (sw < 16) return [1, 1, 1];
  // coarse grid: cells of f × f pixels
  const f = Math.max(1, Math.floor(radius / 6));
  const cw = Math.ceil(w / f), ch = Math.ceil(h / f);
  const cn = cw * ch;
  const cellX = new Int32Array(w);
  for (let x = 0; x < w; x++) cellX[x] = Math.floor(x / f);
  // skin-weighted sums of target and warped colour per cell, all three channels in one pass
  const tw = [new Float32Array(cn), new Float32Array(cn), new Float32Array(cn)];
  const ww = [new Float32Array(cn), new Float32Array(cn), new Float32Array(cn)];
  const totals = new Float64Array(6);
  accumulateCells(warped, target, skin, w, h, f, cw, cellX, tw, ww, totals);
  const st = totals.subarray(0, 3), sws = totals.subarray(3, 6);
  const globals: [number, number, number] = [1, 1, 1];
  const gains: Float32Array[] = [];
  for (let c = 0; c < 3; c++) {
    const g0 = clampGain(sws[c] > 0 ? st[c] / sws[c] : 1);
    globals[c] = Math.round(g0 * 1000) / 1000;
    const rr = Math.max(1, Math.round(radius / f));
    const bt = blur3(tw[c], cw, ch, rr);
    const bw = blur3(ww[c], cw, ch, rr);
    // regularised ratio: local where skin is dense, the global gain where it is sparse
    const lam = 0.05 * (sws[c] / sw) * f * f;
    const g = new Float32Array(cn);
    for (let i = 0; i < cn; i++) g[i] = clampGain((bt[i] + lam * g0) / (bw[i] + lam));
    gains.push(g);
  }
  // bilinear upsampling of the coarse gains (cell centres at (k + 0.5) * f - 0.5); pixels the warp
  // left out (need 0) hold no colour and are skipped
  const gx0 = new Int32Array(w), gx1 = new Int32Array(w), gfx = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    let gx = (x + 0.5) / f - 0.5;
    gx = gx < 0 ? 0 : gx > cw - 1 ? cw - 1 : gx;
    gx0[x] = Math.floor(gx);
    gx1[x] = Math.min(cw - 1, gx0[x] + 1);
    gfx[x] = gx - gx0[x];
  }
  applyGains(warped, w, h, f, cw, ch, gx0, gx1, gfx, gains[0], gains[1], gains[2], need);
  return globals;
}

/*
 * The pixel loops are functions of their own so their compiled code survives anything new the
 * per-frame code around them meets (see the note in render.ts).
 */

function sum(a: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i];
  return s;
}

/**
 * Skin-weighted sums of target and warped colour per coarse cell (tw, ww: one plane per channel)
 * and over the whole region (totals: target r, g, b, then warped r, g, b).
 */
function accumulateCells(warped: Float32Array, target: Float32Array, skin: Float32Array, w: number, h: number, f: number, cw: number, cellX: Int32Array, tw: Float32Array[], ww: Float32Array[], totals: Float64Array): void {
  for (let y = 0; y < h; y++) {
    const crow = Math.floor(y / f) * cw;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const s = skin[i];
      if (s === 0) continue;
      const ci = crow + cellX[x];
      for (let c = 0; c < 3; c++) {
        const t = target[i * 3 + c] * s, v = warped[i * 3 + c] * s;
        tw[c][ci] += t;
        ww[c][ci] += v;
        totals[c] += t;
        totals[3 + c] += v;
      }
    }
  }
}

/** Scales the warped colour by the coarse gain maps, bilinearly upsampled (see matchColour). */
function applyGains(warped: Float32Array, w: number, h: number, f: number, cw: number, ch: number, gx0: Int32Array, gx1: Int32Array, gfx: Float64Array, G0: Float32Array, G1: Float32Array, G2: Float32Array, need: Uint8Array | undefined): void {
  for (let y = 0; y < h; y++) {
    let gy = (y + 0.5) / f - 0.5;
    gy = gy < 0 ? 0 : gy > ch - 1 ? ch - 1 : gy;
    const y0 = Math.floor(gy), y1 = Math.min(ch - 1, y0 + 1), fy = gy - y0;
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (need && need[p] === 0) continue;
      const fx = gfx[x];
      const a = y0 * cw + gx0[x], b = y0 * cw + gx1[x], cc = y1 * cw + gx0[x], d = y1 * cw + gx1[x];
      const o = p * 3;
      const v0 = warped[o] * ((G0[a] * (1 - fx) + G0[b] * fx) * (1 - fy) + (G0[cc] * (1 - fx) + G0[d] * fx) * fy);
      const v1 = warped[o + 1] * ((G1[a] * (1 - fx) + G1[b] * fx) * (1 - fy) + (G1[cc] * (1 - fx) + G1[d] * fx) * fy);
      const v2 = warped[o + 2] * ((G2[a] * (1 - fx) + G2[b] * fx) * (1 - fy) + (G2[cc] * (1 - fx) + G2[d] * fx) * fy);
      warped[o] = v0 > 255 ? 255 : v0;
      warped[o + 1] = v1 > 255 ? 255 : v1;
      warped[o + 2] = v2 > 255 ? 255 : v2;
    }
  }
}

function clampGain(g: number): number {
  return g < 0.6 ? 0.6 : g > 1.6 ? 1.6 : g;
}
