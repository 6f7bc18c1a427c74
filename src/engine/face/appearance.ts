/**
 * Mouth-region appearance, sampled in face-aligned coordinates so it can be compared across the
 * frames of one track: the occlusion check (hand, microphone, object in front of the mouth) looks
 * for frames whose lower face stops looking like the same track's typical lower face.
 *
 * The patch is a GRID_W x GRID_H grid of small colour averages spanning mouth corner to corner
 * plus half a mouth width either side, and from the nose base to the chin. Colours are divided by
 * the upper-cheek skin colour of the same frame, so lighting changes cancel. Cells over the lips
 * themselves are flagged: their look changes with speech (teeth, dark mouth), so the comparison
 * only uses the ring around them (chin, philtrum, cheeks beside the corners), which an occluder
 * in front of the mouth covers too.
 */
import { LM } from './landmarks.js';
import type { FrameView } from './mesh-runner.js';

export const GRID_W = 12;
export const GRID_H = 8;

export interface MouthPatch {
  /**
   * GRID_W*GRID_H*3 chroma-normalised colours (r,g,b divided by the cheek colour). The worker
   * sends patches packed (packPatch) and the analysis keeps them in its mesh store; a patch is
   * unpacked only while the occlusion check reads it.
   */
  cells: Float64Array;
  /** 1 where a cell is on the ring around the lips (the part compared), 0 over the lips. */
  ring: Uint8Array;
  /** Fraction of the patch inside the frame. */
  inFrame: number;
}

function pt(mesh: ArrayLike<number>, i: number): [number, number] {
  return [mesh[i * 3], mesh[i * 3 + 1]];
}

function meanColor(frame: FrameView, x: number, y: number, r: number): [number, number, number, number] {
  const x0 = Math.max(0, Math.floor(x - r)), x1 = Math.min(frame.width - 1, Math.ceil(x + r));
  const y0 = Math.max(0, Math.floor(y - r)), y1 = Math.min(frame.height - 1, Math.ceil(y + r));
  let s0 = 0, s1 = 0, s2 = 0, n = 0;
  const stride = Math.max(1, Math.floor(r / 2));
  for (let yy = y0; yy <= y1; yy += stride) {
    for (let xx = x0; xx <= x1; xx += stride) {
      const o = (yy * frame.width + xx) * 3;
      s0 += frame.data[o];
      s1 += frame.data[o + 1];
      s2 += frame.data[o + 2];
      n++;
    }
  }
  return n ? [s0 / n, s1 / n, s2 / n, n] : [0, 0, 0, 0];
}

export function mouthPatch(frame: FrameView, mesh: ArrayLike<number>): MouthPatch {
  const cr = pt(mesh, LM.mouthCornerRight), cl = pt(mesh, LM.mouthCornerLeft);
  const nose = pt(mesh, 2), chin = pt(mesh, LM.chin);
  // mouth axis (corner to corner) and the perpendicular pointing down the face
  const ax = [cl[0] - cr[0], cl[1] - cr[1]];
  const mw = Math.hypot(ax[0], ax[1]) || 1;
  const ux = [ax[0] / mw, ax[1] / mw];
  const uy = [-ux[1], ux[0]];
  const mid = [(cl[0] + cr[0]) / 2, (cl[1] + cr[1]) / 2];
  const top = (nose[0] - mid[0]) * uy[0] + (nose[1] - mid[1]) * uy[1];
  const bottom = (chin[0] - mid[0]) * uy[0] + (chin[1] - mid[1]) * uy[1];
  const halfW = mw; // corner to corner plus half a mouth width each side
  const upLip = pt(mesh, LM.upperLipOuter), loLip = pt(mesh, LM.lowerLipOuter);
  const lipTop = (upLip[0] - mid[0]) * uy[0] + (upLip[1] - mid[1]) * uy[1];
  const lipBot = (loLip[0] - mid[0]) * uy[0] + (loLip[1] - mid[1]) * uy[1];
  const cellW = (2 * halfW) / GRID_W;
  const cellH = (bottom - top) / GRID_H;
  const r = Math.max(1, Math.min(Math.abs(cellW), Math.abs(cellH)) / 2);
  // cheek skin reference: below each eye, above the mouth corners
  const ck1 = pt(mesh, 205), ck2 = pt(mesh, 425);
  const c1 = meanColor(frame, ck1[0], ck1[1], r * 1.5), c2 = meanColor(frame, ck2[0], ck2[1], r * 1.5);
  const ref = [0, 1, 2].map((k) => Math.max(8, (c1[k] + c2[k]) / 2));
  const cells = new Float64Array(GRID_W * GRID_H * 3);
  const ring = new Uint8Array(GRID_W * GRID_H);
  let inside = 0;
  for (let gy = 0; gy < GRID_H; gy++) {
    const v = top + (gy + 0.5) * cellH;
    for (let gx = 0; gx < GRID_W; gx++) {
      const u = -halfW + (gx + 0.5) * cellW;
      const x = mid[0] + ux[0] * u + uy[0] * v;
      const y = mid[1] + ux[1] * u + uy[1] * v;
      const inF = x >= 0 && y >= 0 && x < frame.width && y < frame.height;
      if (inF) inside++;
      const c = inF ? meanColor(frame, x, y, r) : [0, 0, 0, 0];
      const cell = gy * GRID_W + gx;
      for (let k = 0; k < 3; k++) cells[cell * 3 + k] = Math.round((c[k] / ref[k]) * 1000) / 1000;
      // lips: an ellipse through the corners and the outer lip midpoints, with a small margin
      const eu = u / (mw / 2 + Math.abs(cellW) * 0.5);
      const lc = (lipTop + lipBot) / 2, lh = Math.abs(lipBot - lipTop) / 2 + Math.abs(cellH) * 0.5;
      const ev = (v - lc) / (lh || 1);
      ring[cell] = eu * eu + ev * ev > 1 ? 1 : 0;
    }
  }
  return { cells, ring, inFrame: inside / (GRID_W * GRID_H) };
}

/** Cell values are rounded to thousandths (above), so they are integer codes over 1000. */
export const CELL_SCALE = 1000;

/**
 * A patch as one Float32Array (cells, ring flags, in-frame fraction), for the store that keeps a
 * clip's per-frame arrays out of memory (mesh-store.ts). Exact: every cell is a code over 1000
 * below 32 (a colour over a cheek reference of at least 8), which a 32-bit float carries to well
 * within half a code, and unpacking rounds back to the same double.
 */
export function packPatch(p: MouthPatch): Float32Array {
  const n = p.ring.length;
  const out = new Float32Array(n * 4 + 1);
  out.set(p.cells, 0);
  out.set(p.ring, n * 3);
  out[n * 4] = p.inFrame;
  return out;
}

/** The patch packed in `a`, unpacked into `into` when its arrays have the size (a pass over a clip reuses one), else anew. */
export function unpackPatch(a: Float32Array, into?: MouthPatch): MouthPatch {
  const n = (a.length - 1) / 4;
  const p = into?.ring.length === n ? into : { cells: new Float64Array(n * 3), ring: new Uint8Array(n), inFrame: 0 };
  const cells = p.cells;
  for (let i = 0; i < cells.length; i++) cells[i] = Math.round(a[i] * CELL_SCALE) / CELL_SCALE;
  p.ring.set(a.subarray(n * 3, n * 4));
  p.inFrame = a[n * 4];
  return p;
}
