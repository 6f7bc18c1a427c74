/**
 * Piecewise-affine warp: every triangle of the destination geometry is filled by inverse-mapping
 * its pixels into the matching source triangle and sampling the source bilinearly.
 */

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
 */
export function warpTriangles(
  src: RgbPatch,
  srcPts: ArrayLike<number>,
  dstPts: ArrayLike<number>,
  triangles: ArrayLike<number>,
  region: [number, number, number, number],
): WarpResult {
  const [rx, ry, rw, rh] = region;
  const rgb = new Float32Array(rw * rh * 3);
  const valid = new Float32Array(rw * rh);
  const sw = src.width, sh = src.height, sd = src.data;
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
    for (let py = minY; py <= maxY; py++) {
      // pixel centres are at integer coordinates (the mesh uses the same convention)
      for (let px = minX; px <= maxX; px++) {
        const l1 = ((px - x0) * (y2 - y0) - (x2 - x0) * (py - y0)) / det;
        const l2 = ((x1 - x0) * (py - y0) - (px - x0) * (y1 - y0)) / det;
        const l0 = 1 - l1 - l2;
        if (l0 < eps || l1 < eps || l2 < eps) continue;
        let u = l0 * u0 + l1 * u1 + l2 * u2;
        let v = l0 * v0 + l1 * v1 + l2 * v2;
        u = u < 0 ? 0 : u > sw - 1 ? sw - 1 : u;
        v = v < 0 ? 0 : v > sh - 1 ? sh - 1 : v;
        const ix = Math.min(sw - 2, Math.floor(u)), iy = Math.min(sh - 2, Math.floor(v));
        const fx = u - ix, fy = v - iy;
        const o00 = (iy * sw + ix) * 3, o10 = o00 + 3, o01 = o00 + sw * 3, o11 = o01 + 3;
        const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        const o = ((py - ry) * rw + (px - rx)) * 3;
        rgb[o] = sd[o00] * w00 + sd[o10] * w10 + sd[o01] * w01 + sd[o11] * w11;
        rgb[o + 1] = sd[o00 + 1] * w00 + sd[o10 + 1] * w10 + sd[o01 + 1] * w01 + sd[o11 + 1] * w11;
        rgb[o + 2] = sd[o00 + 2] * w00 + sd[o10 + 2] * w10 + sd[o01 + 2] * w01 + sd[o11 + 2] * w11;
        valid[(py - ry) * rw + (px - rx)] = 1;
      }
    }
  }
  return { rgb, valid };
}

/**
 * Fills small gaps left by folded or sliver triangles (a few pixels where the lip band is squeezed)
 * from their covered neighbours, `passes` pixels deep, so the blend never shows the original mouth
 * through a pinhole. Pixels far from any covered pixel stay uncovered.
 */
export function fillWarpGaps(res: WarpResult, w: number, h: number, passes = 3): number {
  const { rgb, valid } = res;
  let filled = 0;
  const next = new Float32Array(valid.length);
  for (let p = 0; p < passes; p++) {
    next.set(valid);
    let changed = 0;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        if (valid[i]) continue;
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
