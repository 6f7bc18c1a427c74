/**
 * 100 Hz articulation to any output frame rate, by time rather than by index: output frame k
 * (presentation time k / fps) averages the 100 Hz values over the audio interval
 * [k/fps + lead − ½/fps, k/fps + lead + ½/fps]. The box average is the anti-alias filter for
 * low frame rates; fractional rates (23.976, 29.97) need nothing special. The lead makes the
 * mouth move ahead of the sound, as real speakers' mouths do.
 */
import type { Articulation } from './articulate.js';
import type { MouthFrame } from './types.js';
import { FEATURE_RATE } from './features.js';

const KEYS = ['lipGap', 'jaw', 'width', 'closure', 'labiodental', 'voice'] as const;

export class Retimer {
  private readonly held: Articulation[] = [];
  private nextFrame = 0;

  constructor(
    readonly fps: number,
    readonly leadMs: number,
  ) {
    if (!(fps > 0 && fps <= 1000)) throw new RangeError(`fps must be in (0, 1000], got ${fps}`);
  }

  /** Window of 100 Hz frame indices feeding output frame k (inclusive bounds, may be fractional). */
  private window(k: number): [number, number] {
    const centre = (k / this.fps + this.leadMs / 1000) * FEATURE_RATE;
    const half = (0.5 / this.fps) * FEATURE_RATE;
    return [centre - half, centre + half];
  }

  push(frames: Articulation[]): MouthFrame[] {
    this.held.push(...frames);
    const out: MouthFrame[] = [];
    const last = this.held.length ? this.held[this.held.length - 1].index : -1;
    while (this.window(this.nextFrame)[1] < last) out.push(this.emit(this.nextFrame++));
    this.trim();
    return out;
  }

  /** Emits the remaining frames whose presentation time is before `durationSec`. */
  flush(durationSec: number): MouthFrame[] {
    const out: MouthFrame[] = [];
    const n = Math.max(0, Math.ceil(durationSec * this.fps - 1e-6));
    while (this.nextFrame < n && this.held.length) out.push(this.emit(this.nextFrame++));
    return out;
  }

  private trim(): void {
    const [lo] = this.window(this.nextFrame);
    let drop = 0;
    while (drop < this.held.length - 1 && this.held[drop].index < Math.floor(lo) - 1) drop++;
    if (drop) this.held.splice(0, drop);
  }

  private emit(k: number): MouthFrame {
    const [lo, hi] = this.window(k);
    const first = this.held[0].index;
    const lastIdx = this.held[this.held.length - 1].index;
    const acc = [0, 0, 0, 0, 0, 0];
    let wsum = 0;
    // Each 100 Hz sample covers [i − ½, i + ½]; weight = its overlap with the window.
    for (let i = Math.floor(lo); i <= Math.ceil(hi); i++) {
      const w = Math.max(0, Math.min(hi, i + 0.5) - Math.max(lo, i - 0.5));
      if (w <= 0) continue;
      // Outside the audio the mouth is at rest (before the start, after the end).
      const a = i < first || i > lastIdx ? null : this.held[i - first];
      for (let c = 0; c < KEYS.length; c++) acc[c] += w * (a ? a[KEYS[c]] : 0);
      wsum += w;
    }
    const r = (v: number): number => Math.round((v / (wsum || 1)) * 1e4) / 1e4;
    return {
      t: Math.round((k / this.fps) * 1e6) / 1e6,
      lipGap: r(acc[0]),
      jaw: r(acc[1]),
      width: r(acc[2]),
      closure: r(acc[3]),
      labiodental: r(acc[4]),
      voice: r(acc[5]),
    };
  }
}
