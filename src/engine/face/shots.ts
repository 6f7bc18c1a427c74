/**
 * Shot boundaries from cheap per-frame statistics.
 *
 * Per frame we compute a 32x18 luma thumbnail (block means over a sparse pixel grid) and a 32-bin
 * luma histogram, and hold them only as long as a transition through that frame may still be
 * judged (ShotDetector: the last maxFade + 2 frames). Two signals:
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
function blendResidual(at: (k: number) => FrameStats, a: number, b: number): { residual: number; span: number } {
  const A = at(a).thumb, B = at(b).thumb;
  let span = 0;
  for (let i = 0; i < A.length; i++) span += Math.abs(A[i] - B[i]);
  span /= A.length * 255;
  let res = 0;
  let n = 0;
  for (let k = a + 1; k < b; k++) {
    const M = at(k).thumb;
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

/** One frame as the detector holds it while a transition through it may still be judged. */
interface Held {
  stats: FrameStats;
  /** The thumbnail changed from the frame before (MAD above the steady-change threshold). */
  changing: boolean;
}

/** MAD above which consecutive frames count as changing steadily (the body of a fade). */
const CHANGING_MAD = 0.006;

/**
 * Shot boundaries found while the frames stream past (cuts + fades), holding only the last
 * maxFade + 2 frames' statistics: a long clip's analysis does not keep every frame's thumbnail
 * (2.4 KB a frame) until the end. Cuts are causal; a fade is judged once the longest window it
 * could span has been seen, so the result equals the whole-clip search it replaces (the greedy
 * scan below visits the same windows in the same order).
 */
export class ShotDetector {
  private readonly maxFade: number;
  private readonly minFade: number;
  private readonly held = new Map<number, Held>();
  private readonly recentMads: number[] = [];
  private readonly boundaries = new Map<number, 'cut' | 'fade'>();
  /** Frames pushed so far. */
  count = 0;
  /** Where the fade scan stands (the greedy scan's `i`). */
  private scan = 1;

  constructor(opts: ShotOptions = {}) {
    this.maxFade = opts.maxFade ?? 40;
    this.minFade = opts.minFade ?? 4;
  }

  /** Frames whose statistics are held now (bounded by maxFade + 2). */
  get holding(): number {
    return this.held.size;
  }

  /** Adds the next frame's statistics; returns whether a hard cut lies just before it. */
  push(stats: FrameStats): boolean {
    const i = this.count++;
    const prev = this.held.get(i - 1);
    let cut = false;
    let mad = 0;
    if (prev) {
      mad = thumbMad(prev.stats, stats);
      cut = isCut(prev.stats, stats, this.recentMads);
      this.recentMads.push(mad);
      if (this.recentMads.length > 10) this.recentMads.shift();
      if (cut) this.boundaries.set(i, 'cut');
    }
    this.held.set(i, { stats, changing: mad > CHANGING_MAD });
    this.advance(false);
    return cut;
  }

  /** The clip's shots, once every frame has been pushed. */
  finish(): Shot[] {
    const n = this.count;
    if (n === 0) return [];
    this.advance(true);
    const starts = [...this.boundaries.keys()].sort((x, y) => x - y);
    const shots: Shot[] = [];
    let start = 0;
    let kind: Shot['kind'] = 'start';
    for (const s of starts) {
      if (s - start < 2) continue; // ignore flicker-length shots
      shots.push({ start, end: s, kind });
      start = s;
      kind = this.boundaries.get(s)!;
    }
    shots.push({ start, end: n, kind });
    return shots;
  }

  /**
   * Runs the greedy fade scan as far as the frames seen allow: a step at `scan` may look up to
   * maxFade - 1 frames ahead, so before the end it waits until those have arrived.
   */
  private advance(final: boolean): void {
    const n = this.count;
    const known = (k: number): Held => this.held.get(k)!;
    while (final ? this.scan < n : this.scan + this.maxFade <= n) {
      const i = this.scan;
      if (!known(i).changing || this.boundaries.has(i)) {
        this.scan = i + 1;
      } else {
        // fades: windows of steady change with no cut inside, whose ends differ a lot and whose
        // middle frames are blends of the ends; greedy, longest transitions first from each start
        let j = i;
        while (j + 1 < n && known(j + 1).changing && !this.boundaries.has(j + 1) && j + 1 - i < this.maxFade) j++;
        if (j - (i - 1) >= this.minFade) this.judgeFade(i - 1, j);
        this.scan = j + 1;
      }
      // what a later step can still look at starts at scan - 1
      for (const k of this.held.keys()) {
        if (k >= this.scan - 1) break;
        this.held.delete(k);
      }
    }
  }

  /** Marks a fade boundary when frames a..b are a transition between two different pictures. */
  private judgeFade(a: number, b: number): void {
    const n = this.count;
    const at = (k: number): FrameStats => this.held.get(k)!.stats;
    const { residual, span } = blendResidual(at, a, b);
    const hist = histDistance(at(a), at(b));
    let minMean = Infinity;
    for (let k = a; k <= b; k++) minMean = Math.min(minMean, at(k).mean);
    // the whole change must be large (like a cut) yet the steps small and blend-like
    const throughBlack = minMean < 16 && Math.max(at(a).mean, at(b).mean) > 40;
    if (!((span > CUT_MAD * 1.5 && hist > CUT_HIST && residual < 0.25 * span) || throughBlack)) return;
    // fade through black: the new shot starts after the darkest frame; dissolve: the middle
    let cutAt = Math.round((a + b + 1) / 2);
    if (throughBlack) {
      let darkest = a;
      for (let k = a; k <= b; k++) if (at(k).mean < at(darkest).mean) darkest = k;
      cutAt = Math.min(b, darkest + 1);
      if (at(b).mean < 16) cutAt = b + 1 < n ? b + 1 : b; // fade out at the very end
    }
    if (cutAt > 0 && cutAt < n) this.boundaries.set(cutAt, 'fade');
  }
}

/** Whole-clip shot list (cuts + fades) from every frame's statistics. */
export function detectShots(stats: FrameStats[], opts: ShotOptions = {}): Shot[] {
  const d = new ShotDetector(opts);
  for (const s of stats) d.push(s);
  return d.finish();
}
