/**
 * Quality measures a benchmark can call on a track document:
 * - landmarkJitter: frame-to-frame motion of the rigid points left after removing head motion
 *   (a similarity/Procrustes alignment of frame t onto frame t-1: 2D in the image plane, or 3D
 *   with the mesh's depth so head turns are removed too), RMS over the rigid points, divided by
 *   the eye distance. What remains is mostly detector noise (plus a little real non-rigid motion).
 * - lipRetention: how well smoothing keeps the lip-gap curve: Pearson correlation of smoothed vs
 *   raw lip gap, the ratio of their ranges (p95 - p5), and the ratio of smoothed to raw values at
 *   the raw curve's clear peaks (local maxima standing above their neighbourhood).
 */
import { RIGID_POINTS } from './landmarks.js';
import { applySimilarity, fitSimilarity } from './smoothing.js';
import { applySimilarity3, fitSimilarity3 } from './align3d.js';
import { eyeDistance, lipGap } from './measures.js';
import type { FaceObservation, TrackDocument } from './types.js';

type Which = 'raw' | 'smoothed';
type FaceMeshes = Pick<FaceObservation, 'mesh' | 'meshSmoothed'>;

function meshOf(face: FaceMeshes, which: Which): Float32Array | undefined {
  return which === 'raw' ? face.mesh : face.meshSmoothed;
}

/** Runs of consecutive frames per track: [trackId, frame objects' faces]. */
function runs(doc: TrackDocument, trackId?: number): FaceMeshes[][] {
  const out: FaceMeshes[][] = [];
  const open = new Map<number, { last: number; run: FaceMeshes[] }>();
  for (const f of doc.frames) {
    for (const face of f.faces) {
      if (trackId !== undefined && face.trackId !== trackId) continue;
      const o = open.get(face.trackId);
      if (o && o.last === f.index - 1) {
        o.run.push(face);
        o.last = f.index;
      } else {
        const run = [face];
        out.push(run);
        open.set(face.trackId, { last: f.index, run });
      }
    }
  }
  return out;
}

/** RMS image-plane distance of the rigid points of `cur`, mapped by `align`, from those of `prev`, ÷ eye distance. */
function rigidResidual(prev: ArrayLike<number>, cur: ArrayLike<number>, align: (idx: number[]) => (i: number) => [number, number]): number {
  const P = Math.min(prev.length, cur.length) / 3;
  const idx = RIGID_POINTS.filter((i) => i < P);
  const map = align(idx);
  let s = 0;
  for (const i of idx) {
    const [x, y] = map(i);
    s += (x - prev[i * 3]) ** 2 + (y - prev[i * 3 + 1]) ** 2;
  }
  return Math.sqrt(s / idx.length) / (eyeDistance(prev) || 1);
}

export function pairJitter(prev: ArrayLike<number>, cur: ArrayLike<number>): number {
  return rigidResidual(prev, cur, (idx) => {
    const t = fitSimilarity(cur, prev, idx);
    return (i) => applySimilarity(t, cur[i * 3], cur[i * 3 + 1]);
  });
}

/**
 * Rigid-point motion left after a 3D similarity (rotation in depth included) aligns frame t onto
 * frame t-1, in the image plane, ÷ eye distance. A head turn changes the projected shape of the
 * rigid points, which the 2D alignment of pairJitter counts as jitter; this one removes it.
 */
export function pairJitter3d(prev: ArrayLike<number>, cur: ArrayLike<number>): number {
  return rigidResidual(prev, cur, (idx) => {
    const t = fitSimilarity3(cur, prev, idx);
    return (i) => {
      const [x, y] = applySimilarity3(t, cur[i * 3], cur[i * 3 + 1], cur[i * 3 + 2]);
      return [x, y];
    };
  });
}

export interface JitterStats {
  mean: number;
  median: number;
  pairs: number;
}

/** Residual rigid-point jitter (fraction of eye distance per frame), over all tracks or one. */
export function landmarkJitter(doc: TrackDocument, which: Which, trackId?: number, align: '2d' | '3d' = '2d'): JitterStats {
  const vals: number[] = [];
  const pair = align === '3d' ? pairJitter3d : pairJitter;
  for (const run of runs(doc, trackId)) {
    for (let i = 1; i < run.length; i++) {
      const a = meshOf(run[i - 1], which), b = meshOf(run[i], which);
      if (a && b) vals.push(pair(a, b));
    }
  }
  vals.sort((a, b) => a - b);
  const mean = vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : 0;
  return { mean, median: vals.length ? vals[vals.length >> 1] : 0, pairs: vals.length };
}

function pct(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0;
}

export interface LipRetention {
  correlation: number;
  rangeRatio: number;
  peakRatio: number;
  peaks: number;
  frames: number;
}

/** Compare smoothed vs raw lip-gap series (concatenated over runs; peaks found per run). */
export function lipSeriesRetention(raw: number[][], smooth: number[][]): LipRetention {
  const r = raw.flat(), s = smooth.flat();
  const n = r.length;
  const mr = r.reduce((a, b) => a + b, 0) / (n || 1), ms = s.reduce((a, b) => a + b, 0) / (n || 1);
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (r[i] - mr) * (s[i] - ms);
    sxx += (r[i] - mr) ** 2;
    syy += (s[i] - ms) ** 2;
  }
  const sr = [...r].sort((a, b) => a - b), ss = [...s].sort((a, b) => a - b);
  const rangeRatio = (pct(ss, 0.95) - pct(ss, 0.05)) / (pct(sr, 0.95) - pct(sr, 0.05) || 1);
  // peaks: local max over ±3 frames, standing at least 0.04 eye distances above the window minimum
  let ratioSum = 0, peaks = 0;
  for (let k = 0; k < raw.length; k++) {
    const a = raw[k], b = smooth[k];
    for (let i = 3; i < a.length - 3; i++) {
      const win = a.slice(i - 3, i + 4);
      if (a[i] !== Math.max(...win)) continue;
      const base = Math.min(...win);
      if (a[i] - base < 0.04) continue;
      const sm = Math.max(b[i - 1], b[i], b[i + 1]);
      ratioSum += (sm - base) / (a[i] - base);
      peaks++;
    }
  }
  return { correlation: sxx && syy ? sxy / Math.sqrt(sxx * syy) : 1, rangeRatio, peakRatio: peaks ? ratioSum / peaks : 1, peaks, frames: n };
}

/** Lip-gap retention of the document's smoothing, for the selected track (or the given one). */
export function lipRetention(doc: TrackDocument, trackId?: number | null): LipRetention {
  const id = trackId ?? doc.selectedTrackId ?? undefined;
  const raw: number[][] = [], sm: number[][] = [];
  for (const run of runs(doc, id)) {
    if (!run.every((f) => f.meshSmoothed)) continue;
    raw.push(run.map((f) => lipGap(f.mesh)));
    sm.push(run.map((f) => lipGap(f.meshSmoothed!)));
  }
  return lipSeriesRetention(raw, sm);
}
