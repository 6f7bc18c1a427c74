/**
 * Occlusion of the mouth (hand, microphone, cup...) from appearance consistency within a track.
 * For each observation we have a face-aligned, cheek-normalised colour grid around the mouth
 * (appearance.ts). The track's typical look is the per-cell median over its frontal-enough
 * frames; a frame's distance is the mean absolute colour difference on the ring cells (the lips
 * themselves are skipped, their look changes with speech). A frame counts as occluded when its
 * distance is far above the track's usual spread: occlusion = (d - median - OFFSET) / RANGE,
 * clipped to 0..1, with the spread (MAD) raising OFFSET on tracks that vary a lot anyway.
 * It needs most of the track to be clean (the median is the reference), which holds for the
 * usual case of a hand or microphone passing in front of the mouth for a while.
 */
import { CELL_SCALE, type MouthPatch } from './appearance.js';

export const OCCLUSION_OFFSET = 0.06;
export const OCCLUSION_RANGE = 0.12;

export function patchDistance(a: MouthPatch, ref: number[]): number {
  let s = 0;
  let n = 0;
  for (let c = 0; c < a.ring.length; c++) {
    if (!a.ring[c]) continue;
    for (let k = 0; k < 3; k++) s += Math.abs(a.cells[c * 3 + k] - ref[c * 3 + k]);
    n += 3;
  }
  return n ? s / n : 0;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A track's patches, read one at a time (they may wait in a file: mesh-store.ts). A patch is
 * used only until the next call, so the reader may refill one object every time.
 */
export type PatchAt = (k: number) => MouthPatch;

const COARSE = 256; // codes 0..65535 as 256 bins of 256
const MAX_CODE = COARSE * COARSE - 1;

/**
 * The per-cell median of the patches at `frames`, the same number sorting every column would
 * give, in memory that does not grow with the track: cell values are integer codes over
 * CELL_SCALE, so two counting passes find the middle code(s) of each cell (the coarse bin
 * first, then the code within it) without holding the columns.
 */
function cellMedians(patchAt: PatchAt, frames: number[], len: number): number[] {
  const n = frames.length;
  const m = n >> 1;
  const ranks = n % 2 ? [m, m] : [m - 1, m];
  const code = (v: number): number => Math.min(MAX_CODE, Math.max(0, Math.round(v * CELL_SCALE)));
  const coarse = new Uint32Array(len * COARSE);
  for (const f of frames) {
    const c = patchAt(f).cells;
    for (let k = 0; k < len; k++) coarse[k * COARSE + (code(c[k]) >> 8)]++;
  }
  // for each cell and each of the two middle ranks: its coarse bin, and its rank inside that bin
  const bin = new Int32Array(len * 2);
  const rest = new Int32Array(len * 2);
  for (let k = 0; k < len; k++) {
    for (let r = 0; r < 2; r++) {
      let seen = 0, b = 0;
      while (seen + coarse[k * COARSE + b] <= ranks[r]) seen += coarse[k * COARSE + b++];
      bin[k * 2 + r] = b;
      rest[k * 2 + r] = ranks[r] - seen;
    }
  }
  const fine = new Uint32Array(len * 2 * COARSE);
  for (const f of frames) {
    const c = patchAt(f).cells;
    for (let k = 0; k < len; k++) {
      const x = code(c[k]);
      for (let r = 0; r < 2; r++) if (x >> 8 === bin[k * 2 + r]) fine[(k * 2 + r) * COARSE + (x & 255)]++;
    }
  }
  const ref: number[] = new Array(len);
  for (let k = 0; k < len; k++) {
    const at = [0, 1].map((r) => {
      const o = (k * 2 + r) * COARSE;
      let seen = 0, j = 0;
      while (seen + fine[o + j] <= rest[k * 2 + r]) seen += fine[o + j++];
      return ((bin[k * 2 + r] << 8) | j) / CELL_SCALE;
    });
    ref[k] = n % 2 ? at[1] : (at[0] + at[1]) / 2;
  }
  return ref;
}

/**
 * Occlusion evidence 0..1 per observation of one track (`count` patches, in order). `usable`
 * marks observations that may serve as reference (frontal enough, confident). The patches are
 * read through `patchAt` a few times over instead of held: a long clip's would be 2.4 KB a frame.
 */
export function trackOcclusion(patchAt: PatchAt, count: number, usable: boolean[]): { occlusion: number[]; distance: number[] } {
  const all = Array.from({ length: count }, (_, i) => i);
  const refIdx = all.filter((i) => usable[i]);
  const basis = refIdx.length >= 5 ? refIdx : all;
  if (basis.length < 5) return { occlusion: all.map(() => 0), distance: all.map(() => 0) };
  const ref = cellMedians(patchAt, basis, patchAt(0).cells.length);
  const distance = all.map((i) => patchDistance(patchAt(i), ref));
  const basisD = basis.map((i) => distance[i]);
  const med = median(basisD);
  const mad = median(basisD.map((d) => Math.abs(d - med)));
  const offset = Math.max(OCCLUSION_OFFSET, 4 * 1.4826 * mad);
  const occlusion = distance.map((d) => Math.max(0, Math.min(1, (d - med - offset) / OCCLUSION_RANGE)));
  return { occlusion: occlusion.map((v) => Math.round(v * 1000) / 1000), distance };
}
