/**
 * Level normalisation: turns raw frames into gain-independent per-frame features. Energies are
 * measured against a tracked noise floor (a low percentile over the last 2 s and the next
 * 0.4 s) and against the recent speech level, so the same speech at -40 dB or -10 dB, with or
 * without steady background noise, gives the same features. A frame is emitted once 0.4 s of
 * audio after it has been seen (1.3 s at the very start, so the first floor estimate has data).
 */
import { FrameRing } from './ring.js';
import { MEL_BANDS, type RawFrame } from './features.js';

export const BASE_DIM = MEL_BANDS + 7;
const LOOK = 40;
const FLOOR_PAST = 200;
const LEVEL_PAST = 300;
const INIT = 130;
/** Below this the input counts as silence however quiet its noise floor is (dither, fades). */
export const ABSOLUTE_FLOOR_DB = -72;

export interface NormFrame {
  index: number;
  energy: number;
  /** Energy above the noise floor, dB. */
  snr: number;
  /** Energy relative to the recent speech level (loudest smoothed frame of the last 3 s), dB. */
  rel: number;
  voicing: number;
  /** Per-frame base features (BASE_DIM). */
  base: Float32Array;
}

export class Normaliser {
  private readonly raw = new FrameRing<RawFrame>(LEVEL_PAST + INIT + 64);
  private readonly smooth = new FrameRing<number>(LEVEL_PAST + INIT + 64);
  private readonly scratch = new Float64Array(LEVEL_PAST + INIT + 64);
  private next = 0;

  push(frames: RawFrame[]): NormFrame[] {
    const out: NormFrame[] = [];
    for (const f of frames) {
      this.raw.push(f);
      // 50 ms centred average of energy: floor/level trackers should not follow single frames.
      const i = f.index - 2;
      if (i >= 0) this.smooth.push(this.avgEnergy(i));
      while (this.ready(this.next)) out.push(this.emit(this.next++));
    }
    return out;
  }

  flush(): NormFrame[] {
    const out: NormFrame[] = [];
    while (this.smooth.end < this.raw.end) this.smooth.push(this.avgEnergy(this.smooth.end));
    while (this.next < this.raw.end) out.push(this.emit(this.next++));
    return out;
  }

  private avgEnergy(i: number): number {
    let s = 0;
    let n = 0;
    for (let k = i - 2; k <= i + 2; k++) {
      if (k < this.raw.start || k >= this.raw.end) continue;
      s += Math.max(this.raw.at(k).energy, ABSOLUTE_FLOOR_DB - 20);
      n++;
    }
    return s / n;
  }

  private ready(t: number): boolean {
    return this.smooth.end > Math.max(t + LOOK, INIT);
  }

  /**
   * Floor = 10th percentile and level = maximum of the smoothed energy over the window. Frames
   * of digital silence (file starts, gaps) are left out: they say nothing about the noise the
   * speech sits in, and a minimum would lock onto them.
   */
  private windowStats(t: number, past: number): { min: number; max: number } {
    const lo = Math.max(this.smooth.start, t - past);
    const hi = Math.min(this.smooth.end - 1, Math.max(t + LOOK, INIT));
    const vals = this.scratch;
    let n = 0;
    let max = -Infinity;
    for (let k = lo; k <= hi; k++) {
      const v = this.smooth.at(k);
      if (v > max) max = v;
      if (v > ABSOLUTE_FLOOR_DB) vals[n++] = v;
    }
    if (n === 0) return { min: ABSOLUTE_FLOOR_DB, max };
    const sorted = vals.subarray(0, n).sort();
    return { min: sorted[Math.floor(0.1 * (n - 1))], max };
  }

  private emit(t: number): NormFrame {
    const f = this.raw.at(t);
    const floor = Math.max(this.windowStats(t, FLOOR_PAST).min, ABSOLUTE_FLOOR_DB);
    const level = Math.max(this.windowStats(t, LEVEL_PAST).max, floor + 10);
    let localMax = -Infinity;
    for (let k = t - LOOK; k <= t + LOOK; k++) if (this.smooth.has(k)) localMax = Math.max(localMax, this.smooth.at(k));
    const e = Math.max(f.energy, floor - 10);
    const prev = this.raw.at(t - 2);
    let flux = 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const d = Math.max(f.mel[b], floor - 20) - Math.max(prev.mel[b], floor - 20);
      if (d > 0) flux += d;
    }
    const base = new Float32Array(BASE_DIM);
    for (let b = 0; b < MEL_BANDS; b++) base[b] = (Math.max(f.mel[b], floor - 30) - e) / 20;
    const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
    base[MEL_BANDS] = clip(e - floor, -10, 60) / 30;
    base[MEL_BANDS + 1] = clip(e - level, -60, 10) / 30;
    base[MEL_BANDS + 2] = clip(e - Math.max(localMax, floor), -60, 10) / 30;
    base[MEL_BANDS + 3] = f.voicing;
    base[MEL_BANDS + 4] = f.zcr * 5;
    base[MEL_BANDS + 5] = clip(flux / MEL_BANDS, 0, 30) / 10;
    base[MEL_BANDS + 6] = f.energy > ABSOLUTE_FLOOR_DB ? 1 : 0;
    return { index: t, energy: f.energy, snr: f.energy - floor, rel: f.energy - level, voicing: f.voicing, base };
  }
}
