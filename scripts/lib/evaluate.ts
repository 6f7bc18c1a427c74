/**
 * Measurements of a predicted lip-opening series against the opening tracked in real video, on
 * the video's frame grid: Pearson r at lag 0, the lag of best correlation, and the leak (mean
 * opening during the audio's silences, each series scaled so its clip-wide 5th..95th percentile
 * spans 0..1, so leaks compare across methods).
 */
import { PairMoments, percentile } from '../../src/engine/audio/stats.js';

export interface Scores {
  r0: number;
  bestLag: number;
  bestR: number;
  leak: number;
}

export const MAX_LAG_FRAMES = 10;

/**
 * Pearson r of pred[i + lag] against truth[i] over the frames `ok` marks, NaN under 10 pairs.
 * `circular` wraps the shifted index round the clip (a misaligned copy, for a no-sync baseline).
 */
export function maskedR(pred: ArrayLike<number>, truth: ArrayLike<number>, ok: boolean[], lag: number, circular = false): number {
  const m = new PairMoments();
  const n = truth.length;
  for (let i = 0; i < n; i++) {
    const j = circular ? (((i + lag) % n) + n) % n : i + lag;
    if (!ok[i] || j < 0 || j >= pred.length || !Number.isFinite(pred[j])) continue;
    m.add(pred[j], truth[i]);
  }
  return m.n < 10 ? NaN : m.r;
}

export function score(pred: ArrayLike<number>, truth: ArrayLike<number>, ok: boolean[], silent: boolean[]): Scores {
  const r0 = maskedR(pred, truth, ok, 0);
  let bestLag = 0;
  let bestR = -Infinity;
  for (let lag = -MAX_LAG_FRAMES; lag <= MAX_LAG_FRAMES; lag++) {
    const r = maskedR(pred, truth, ok, lag);
    if (r > bestR) [bestR, bestLag] = [r, lag];
  }
  return { r0, bestLag, bestR, leak: leak(pred, silent) };
}

export function leak(series: ArrayLike<number>, silent: boolean[]): number {
  const vals = Array.from(series).filter(Number.isFinite);
  const lo = percentile(vals, 5);
  const hi = percentile(vals, 95);
  let s = 0;
  let n = 0;
  for (let i = 0; i < Math.min(series.length, silent.length); i++) {
    if (!silent[i] || !Number.isFinite(series[i])) continue;
    s += Math.min(1.5, Math.max(-0.5, (series[i] - lo) / (hi - lo || 1)));
    n++;
  }
  return n ? s / n : NaN;
}

/** RMS amplitude of the audio over each video frame's interval. */
export function loudnessEnvelope(samples16k: Float32Array, fps: number, frames: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < frames; k++) {
    const a = Math.max(0, Math.round(((k - 0.5) / fps) * 16000));
    const b = Math.min(samples16k.length, Math.round(((k + 0.5) / fps) * 16000));
    let s = 0;
    for (let i = a; i < b; i++) s += samples16k[i] * samples16k[i];
    out.push(b > a ? Math.sqrt(s / (b - a)) : 0);
  }
  return out;
}

/**
 * Silent video frames: audio more than 25 dB under the clip's loud level (95th percentile), in
 * runs of at least 200 ms (shorter dips are stop closures, not pauses).
 */
export function silentFrames(samples16k: Float32Array, fps: number, frames: number): boolean[] {
  const env = loudnessEnvelope(samples16k, fps, frames).map((v) => 20 * Math.log10(v + 1e-9));
  const thr = percentile(env, 95) - 25;
  const quiet = env.map((v) => v < thr);
  const minRun = Math.max(2, Math.round(0.2 * fps));
  const out = new Array<boolean>(frames).fill(false);
  let i = 0;
  while (i < frames) {
    if (!quiet[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j < frames && quiet[j]) j++;
    if (j - i >= minRun) for (let k = i; k < j; k++) out[k] = true;
    i = j;
  }
  return out;
}
