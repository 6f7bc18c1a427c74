/**
 * Piecewise-affine warp: every triangle of the destination geometry is filled by inverse-mapping
 * its pixels into the matching source triangle and sampling the source with a bicubic (Catmull-Rom) kernel.
 */
import { Scratch } from './scratch.js';

/** A rectangular piece of an RGB frame (packed rgb24), positioned in frame pixels. */
export interface RgbPatch {
  x: number;
  y: number;
  width: number;
  height: number;
  data: Uint8Array;
}

export interface WarpResult {
  /** Warped colour, 3 floats per pixel, over the destination region. */
  rgb: Float32Array;
  /** 1 where some triangle covered the pixel (the warp is defined), else 0. */
  valid: Float32Array;
}

/**
 * @param src source pixels (frame coordinates via src.x/src.y)
 * @param srcPts control points in source frame pixels, flat [x0,y0,...]
 * @param dstPts the same points in destination frame pixels
 * @param triangles index triples into the point lists
 * @param region destination region [x, y, w, h] in frame pixels; output planes cover it
 * @param need optional region-sized mask: pixels where it is 0 are left unwarped (valid 0)
 * @param scratch reusable planes (the result then lives in `slot` until it is asked for again)
 */
export function warpTriangles(
  src: RgbPatch,
  srcPts: ArrayLike<number>,
  dstPts: ArrayLike<number>,
  triangles: ArrayLike<number>,
  region: [number, number, number, number],
  need?: Uint8Array,
  scratch = new Scratch(),
  slot = 'warp',
): WarpResult {
  const [rx, ry, rw, rh] = region;
  const rgb = scratch.floats(`${slot}:rgb`, rw * rh * 3);
  const valid = scratch.floats(`${slot}:valid`, rw * rh);
  const wx = new Float64Array(4), wy = new Float64Array(4);
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    const a = triangles[t], b = triangles[t + 1], c = triangles[t + 2];
    const x0 = dstPts[a * 2], y0 = dstPts[a * 2 + 1];
    const x1 = dstPts[b * 2], y1 = dstPts[b * 2 + 1];
    const x2 = dstPts[c * 2], y2 = dstPts[c * 2 + 1];
    const det = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (Math.abs(det) < 1e-6) continue;
    // source coords = affine(dest coords): solve from barycentrics, in source-patch pixels
    const u0 = srcPts[a * 2] - src.x, v0 = srcPts[a * 2 + 1] - src.y;
    const u1 = srcPts[b * 2] - src.x, v1 = srcPts[b * 2 + 1] - src.y;
    const u2 = srcPts[c * 2] - src.x, v2 = srcPts[c * 2 + 1] - src.y;
    const minX = Math.max(rx, Math.floor(Math.min(x0, x1, x2)));
    const maxX = Math.min(rx + rw - 1, Math.ceil(Math.max(x0, x1, x2)));
    const minY = Math.max(ry, Math.floor(Math.min(y0, y1, y2)));
    const maxY = Math.min(ry + rh - 1, Math.ceil(Math.max(y0, y1, y2)));
    const eps = -1e-7;
    // barycentrics and source coordinates are affine in (px, py): per row, solve for the span of
    // px inside the triangle and step along it instead of testing every pixel of the bounding box
    // (only their steps along x are needed: each row starts from its own solution below)
    const b1x = (y2 - y0) / det;
    const b2x = -(y1 - y0) / det;
    const ux = b1x * (u1 - u0) + b2x * (u2 - u0), vx = b1x * (v1 - v0) + b2x * (v2 - v0);
    for (let py = minY; py <= maxY; py++) {
      // pixel centres are at integer coordinates (the mesh uses the same convention)
      const l1a = ((minX - x0) * (y2 - y0) - (x2 - x0) * (py - y0)) / det;
      const l2a = ((x1 - x0) * (py - y0) - (minX - x0) * (y1 - y0)) / det;
      // each λ(px) = a + b·(px − minX) must stay ≥ eps (three edges, spelled out: an array of
      // pairs here allocated on every row of every triangle, megabytes per frame for the GC)
      let lo = minX, hi = maxX;
      for (let k = 0; k < 3; k++) {
        const a = k === 0 ? l1a : k === 1 ? l2a : 1 - l1a - l2a;
        const b = k === 0 ? b1x : k === 1 ? b2x : -b1x - b2x;
        if (Math.abs(b) < 1e-12) {
          if (a < eps) hi = lo - 1;
          continue;
        }
        const edge = minX + (eps - a) / b;
        if (b > 0) lo = Math.max(lo, Math.ceil(edge - 1e-9));
        else hi = Math.min(hi, Math.floor(edge + 1e-9));
      }
      if (lo > hi) continue;
      const t0 = lo - minX;
      const la1 = l1a + b1x * t0, la2 = l2a + b2x * t0;
      let u = (1 - la1 - la2) * u0 + la1 * u1 + la2 * u2;
      let v = (1 - la1 - la2) * v0 + la1 * v1 + la2 * v2;
      sampleSpan(src, rgb, valid, need, (py - ry) * rw + (lo - rx), hi - lo + 1, u, v, ux, vx, wx, wy);
    }
  }
  return { rgb, valid };
}

/**
 * Samples one row span of a destination triangle: `n` pixels from region index `k0`, the source
 * position starting at (u, v) and stepping by (ux, vx). A function of its own, not the inner loop
 * of warpTriangles, for V8: when a branch not seen before (a span touching the patch border)
 * throws compiled code away, only this span runs in the interpreter, not the rest of the frame.
 */
function sampleSpan(src: RgbPatch, rgb: Float32Array, valid: Float32Array, need: Uint8Array | undefined, k0: number, n: number, u: number, v: number, ux: number, vx: number, wx: Float64Array, wy: Float64Array): void {
  const sw = src.width, sh = src.height, sd = src.data;
  for (let k = k0, end = k0 + n; k < end; k++, u += ux, v += vx) {
    if (need && need[k] === 0) continue;
    const o = k * 3;
    const uc = u < 0 ? 0 : u > sw - 1 ? sw - 1 : u;
    const vc = v < 0 ? 0 : v > sh - 1 ? sh - 1 : v;
    // Catmull-Rom bicubic: bilinear sampling at fractional offsets averages neighbours and
    // visibly softens teeth and lip edges (measured: mouth sharpness 0.7-0.9 of the source).
    const ix = Math.floor(uc), iy = Math.floor(vc);
    // Catmull-Rom weights of the taps at -1, 0, 1, 2, inlined (this loop is the render's hot spot)
    const tx = uc - ix, tx2 = tx * tx, tx3 = tx2 * tx;
    const ty = vc - iy, ty2 = ty * ty, ty3 = ty2 * ty;
    const x0w = 0.5 * (-tx3 + 2 * tx2 - tx), x1w = 0.5 * (3 * tx3 - 5 * tx2 + 2), x2w = 0.5 * (-3 * tx3 + 4 * tx2 + tx), x3w = 0.5 * (tx3 - tx2);
    const y0w = 0.5 * (-ty3 + 2 * ty2 - ty), y1w = 0.5 * (3 * ty3 - 5 * ty2 + 2), y2w = 0.5 * (-3 * ty3 + 4 * ty2 + ty), y3w = 0.5 * (ty3 - ty2);
    let r = 0, g = 0, bl = 0;
    if (ix >= 1 && iy >= 1 && ix + 2 < sw && iy + 2 < sh) {
      // all 16 taps inside: no clamping
      const stride = sw * 3;
      let so = ((iy - 1) * sw + ix - 1) * 3;
      for (let j = 0; j < 4; j++, so += stride) {
        const wyj = j === 0 ? y0w : j === 1 ? y1w : j === 2 ? y2w : y3w;
        r += (sd[so] * x0w + sd[so + 3] * x1w + sd[so + 6] * x2w + sd[so + 9] * x3w) * wyj;
        g += (sd[so + 1] * x0w + sd[so + 4] * x1w + sd[so + 7] * x2w + sd[so + 10] * x3w) * wyj;
        bl += (sd[so + 2] * x0w + sd[so + 5] * x1w + sd[so + 8] * x2w + sd[so + 11] * x3w) * wyj;
      }
    } else {
      wx[0] = x0w; wx[1] = x1w; wx[2] = x2w; wx[3] = x3w;
      wy[0] = y0w; wy[1] = y1w; wy[2] = y2w; wy[3] = y3w;
      for (let j = 0; j < 4; j++) {
        const yy = iy - 1 + j;
        const row = (yy < 0 ? 0 : yy >= sh ? sh - 1 : yy) * sw;
        let rr = 0, gg = 0, bb = 0;
        for (let i = 0; i < 4; i++) {
          const xx = ix - 1 + i;
          const so = (row + (xx < 0 ? 0 : xx >= sw ? sw - 1 : xx)) * 3;
          rr += sd[so] * wx[i];
          gg += sd[so + 1] * wx[i];
          bb += sd[so + 2] * wx[i];
        }
        r += rr * wy[j];
        g += gg * wy[j];
        bl += bb * wy[j];
      }
    }
    rgb[o] = r < 0 ? 0 : r > 255 ? 255 : r;
    rgb[o + 1] = g < 0 ? 0 : g > 255 ? 255 : g;
    rgb[o + 2] = bl < 0 ? 0 : bl > 255 ? 255 : bl;
    valid[k] = 1;
  }
}

/**
 * Fills small gaps left by folded or sliver triangles (a few pixels where the lip band is squeezed)
 * from their covered neighbours, `passes` pixels deep, so the blend never shows the original mouth
 * through a pinhole. Pixels far from any covered pixel stay uncovered.
 */
export function fillWarpGaps(res: WarpResult, w: number, h: number, passes = 3, need?: Uint8Array, scratch = new Scratch()): number {
  const { rgb, valid } = res;
  let filled = 0;
  const next = scratch.floats('gaps', valid.length, false);
  for (let p = 0; p < passes; p++) {
    next.set(valid);
    let changed = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (valid[i] || (need && need[i] === 0)) continue;
        let n = 0, r = 0, g = 0, b = 0;
        for (const [dx, dy] of NEIGHBOURS) {
          const xx = x + dx, yy = y + dy;
          if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue;
          const j = yy * w + xx;
          if (!valid[j]) continue;
          n++; r += rgb[j * 3]; g += rgb[j * 3 + 1]; b += rgb[j * 3 + 2];
        }
        // need two covered neighbours: grows into gaps, barely past the outer edge of the warp
        if (n < 2) continue;
        rgb[i * 3] = r / n; rgb[i * 3 + 1] = g / n; rgb[i * 3 + 2] = b / n;
        next[i] = 1;
        changed++;
      }
    }
    valid.set(next);
    filled += changed;
    if (!changed) break;
  }
  return filled;
}

const NEIGHBOURS: ReadonlyArray<[number, number]> = [[1, 0], [-1, 0], [0, 1], [0, -1]];
