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
import type { MouthPatch } from './appearance.js';

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
 * Occlusion evidence 0..1 per observation of one track (same order as `patches`). `usable`
 * marks observations that may serve as reference (frontal enough, confident).
 */
export function trackOcclusion(patches: MouthPatch[], usable: boolean[]): { occlusion: number[]; distance: number[] } {
  const refIdx = patches.map((_, i) => i).filter((i) => usable[i]);
  const basis = refIdx.length >= 5 ? refIdx : patches.map((_, i) => i);
  if (basis.length < 5) return { occlusion: patches.map(() => 0), distance: patches.map(() => 0) };
  const len = patches[0].cells.length;
  const ref: number[] = new Array(len);
  const col: number[] = new Array(basis.length);
  for (let k = 0; k < len; k++) {
    for (let j = 0; j < basis.length; j++) col[j] = patches[basis[j]].cells[k];
    ref[k] = median(col);
  }
  const distance = patches.map((p) => patchDistance(p, ref));
  const basisD = basis.map((i) => distance[i]);
  const med = median(basisD);
  const mad = median(basisD.map((d) => Math.abs(d - med)));
  const offset = Math.max(OCCLUSION_OFFSET, 4 * 1.4826 * mad);
  const occlusion = distance.map((d) => Math.max(0, Math.min(1, (d - med - offset) / OCCLUSION_RANGE)));
  return { occlusion: occlusion.map((v) => Math.round(v * 1000) / 1000), distance };
}
