/**
 * Shot boundaries from cheap per-frame statistics.
 *
 * Per frame we keep a 32x18 luma thumbnail (block means over a sparse pixel grid) and a 32-bin
 * luma histogram. Two signals:
 * - hard cut at frame n: the thumbnail mean absolute difference to frame n-1 (MAD, 0..1) is large
 *   in absolute terms (> CUT_MAD) AND several times the recent motion level (median MAD of the
 *   previous frames), AND the histogram changes too (half L1 distance > CUT_HIST) so a fast pan
 *   over similar content or a flash does not count;
 * - fade / dissolve over [a, b]: the thumbnails in between are explained as blends
 *   (1-t)·T_a + t·T_b of the two ends (low residual) while T_a and T_b differ a lot and no
 *   single step is a cut. Fades through black are the special case where the middle is dark.
 *   The new shot starts at the middle of the transition.
 * Talking-head motion changes a 32x18 thumbnail very little (MAD ~0.005-0.02), so the thresholds
 * have plenty of margin on the clips we have.
 */
import type { Shot } from './types.js';

export const THUMB_W = 32;
export const THUMB_H = 18;
export const HIST_BINS = 32;

export const CUT_MAD = 0.08;
export const CUT_RATIO = 4;
export const CUT_HIST = 0.25;

export interface FrameStats {
  /** THUMB_W*THUMB_H luma means, 0..255. */
  thumb: Float32Array;
  /** Normalised luma histogram (sums to 1). */
  hist: Float32Array;
  /** Mean luma 0..255. */
  mean: number;
}

/** Stats from an rgb24 frame, on a grid of about 96 rows (enough for 32x18 block means). */
export function frameStats(width: number, height: number, data: Uint8Array): FrameStats {
  const thumb = new Float32Array(THUMB_W * THUMB_H);
  const counts = new Uint32Array(THUMB_W * THUMB_H);
  const hist = new Float32Array(HIST_BINS);
  const step = Math.max(1, Math.floor(Math.min(width, height) / 96));
  let sum = 0, n = 0;
  for (let y = 0; y < height; y += step) {
    const by = Math.min(THUMB_H - 1, Math.floor((y * THUMB_H) / height));
    for (let x = 0; x < width; x += step) {
      const o = (y * width + x) * 3;
      const l = 0.299 * data[o] + 0.587 * data[o + 1] + 0.114 * data[o + 2];
      const bi = by * THUMB_W + Math.min(THUMB_W - 1, Math.floor((x * THUMB_W) / width));
      thumb[bi] += l;
      counts[bi]++;
      hist[Math.min(HIST_BINS - 1, Math.floor(l / (256 / HIST_BINS)))]++;
      sum += l;
      n++;
    }
  }
  for (let i = 0; i < thumb.length; i++) thumb[i] = counts[i] ? thumb[i] / counts[i] : 0;
  for (let i = 0; i < HIST_BINS; i++) hist[i] /= n || 1;
  return { thumb, hist, mean: n ? sum / n : 0 };
}

export function thumbMad(a: FrameStats, b: FrameStats): number {
  let s = 0;
  for (let i = 0; i < a.thumb.length; i++) s += Math.abs(a.thumb[i] - b.thumb[i]);
  return s / a.thumb.length / 255;
}

export function histDistance(a: FrameStats, b: FrameStats): number {
  let s = 0;
  for (let i = 0; i < a.hist.length; i++) s += Math.abs(a.hist[i] - b.hist[i]);
  return s / 2;
}

function median(xs: number[]): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Causal cut test, usable while streaming: `recent` are the MADs of the frames before (most
 * recent last; only the last 10 are used).
 */
export function isCut(prev: FrameStats, cur: FrameStats, recent: number[]): boolean {
  const mad = thumbMad(prev, cur);
  const level = median(recent.slice(-10));
  return mad > CUT_MAD && mad > CUT_RATIO * level && histDistance(prev, cur) > CUT_HIST;
}

/** Residual of the middle frames against a linear blend of the two ends, relative to the ends' difference. */
function blendResidual(stats: FrameStats[], a: number, b: number): { residual: number; span: number } {
  const A = stats[a].thumb, B = stats[b].thumb;
  let span = 0;
  for (let i = 0; i < A.length; i++) span += Math.abs(A[i] - B[i]);
  span /= A.length * 255;
  let res = 0;
  let n = 0;
  for (let k = a + 1; k < b; k++) {
    const M = stats[k].thumb;
    // best blend weight for this frame (least squares), then its residual
    let num = 0, den = 0;
    for (let i = 0; i < A.length; i++) {
      const d = B[i] - A[i];
      num += (M[i] - A[i]) * d;
      den += d * d;
    }
    const t = den > 0 ? Math.min(1, Math.max(0, num / den)) : 0;
    let r = 0;
    for (let i = 0; i < A.length; i++) r += Math.abs(M[i] - (A[i] + t * (B[i] - A[i])));
    res += r / (A.length * 255);
    n++;
  }
  return { residual: n ? res / n : 0, span };
}

export interface ShotOptions {
  /** Longest fade/dissolve considered, in frames. */
  maxFade?: number;
  /** Shortest fade considered, in frames. */
  minFade?: number;
}

/** Whole-clip shot list (cuts + fades). */
export function detectShots(stats: FrameStats[], opts: ShotOptions = {}): Shot[] {
  const n = stats.length;
  if (n === 0) return [];
  const maxFade = opts.maxFade ?? 40;
  const minFade = opts.minFade ?? 4;
  const mads: number[] = [0];
  for (let i = 1; i < n; i++) mads.push(thumbMad(stats[i - 1], stats[i]));
  const boundaries = new Map<number, 'cut' | 'fade'>();
  for (let i = 1; i < n; i++) if (isCut(stats[i - 1], stats[i], mads.slice(Math.max(1, i - 10), i))) boundaries.set(i, 'cut');

  // fades: windows of steady change with no cut inside, whose ends differ a lot and whose middle
  // frames are blends of the ends; greedy, longest transitions first from each start
  const changing = mads.map((m) => m > 0.006);
  let i = 1;
  while (i < n) {
    if (!changing[i] || boundaries.has(i)) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < n && changing[j + 1] && !boundaries.has(j + 1) && j + 1 - i < maxFade) j++;
    const a = i - 1, b = j;
    if (b - a >= minFade) {
      const { residual, span } = blendResidual(stats, a, b);
      const hist = histDistance(stats[a], stats[b]);
      // the whole change must be large (like a cut) yet the steps small and blend-like
      const throughBlack = Math.min(...stats.slice(a, b + 1).map((s) => s.mean)) < 16 && Math.max(stats[a].mean, stats[b].mean) > 40;
      if ((span > CUT_MAD * 1.5 && hist > CUT_HIST && residual < 0.25 * span) || throughBlack) {
        // fade through black: the new shot starts after the darkest frame; dissolve: the middle
        let at = Math.round((a + b + 1) / 2);
        if (throughBlack) {
          let darkest = a;
          for (let k = a; k <= b; k++) if (stats[k].mean < stats[darkest].mean) darkest = k;
          at = Math.min(b, darkest + 1);
          if (stats[b].mean < 16) at = b + 1 < n ? b + 1 : b; // fade out at the very end
        }
        if (at > 0 && at < n) boundaries.set(at, 'fade');
      }
    }
    i = j + 1;
  }
  const starts = [...boundaries.keys()].sort((x, y) => x - y);
  const shots: Shot[] = [];
  let start = 0;
  let kind: Shot['kind'] = 'start';
  for (const s of starts) {
    if (s - start < 2) continue; // ignore flicker-length shots
    shots.push({ start, end: s, kind });
    start = s;
    kind = boundaries.get(s)!;
  }
  shots.push({ start, end: n, kind });
  return shots;
}
