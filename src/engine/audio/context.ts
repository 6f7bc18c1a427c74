/**
 * Context stacking: the model sees each frame together with pooled summaries of the 300 ms
 * before and after it. Mouth shape depends on neighbouring sounds (coarticulation) and moves
 * ahead of the sound, so the look-ahead matters as much as the look-back.
 */
import { FrameRing } from './ring.js';
import { BASE_DIM, type NormFrame } from './normalise.js';
import { VAD_LOOK, voiceActivity } from './vad.js';

/** Pools as [from, to] frame offsets, inclusive. */
export const POOLS: ReadonlyArray<readonly [number, number]> = [
  [-30, -16],
  [-15, -7],
  [-6, -3],
  [-2, -1],
  [0, 0],
  [1, 2],
  [3, 6],
  [7, 15],
  [16, 30],
];
export const CONTEXT_LOOK = 30;
export const INPUT_DIM = POOLS.length * BASE_DIM;

export interface ContextFrame {
  index: number;
  /** Stacked model input (INPUT_DIM). */
  x: Float32Array;
  /** Voice activity 0..1. */
  voice: number;
  energy: number;
  snr: number;
}

export class ContextStacker {
  private readonly ring = new FrameRing<NormFrame>(2 * Math.max(CONTEXT_LOOK, VAD_LOOK) + 8);
  private next = 0;

  push(frames: NormFrame[]): ContextFrame[] {
    const out: ContextFrame[] = [];
    for (const f of frames) {
      this.ring.push(f);
      while (this.ring.end > this.next + Math.max(CONTEXT_LOOK, VAD_LOOK)) out.push(this.emit(this.next++));
    }
    return out;
  }

  flush(): ContextFrame[] {
    const out: ContextFrame[] = [];
    while (this.next < this.ring.end) out.push(this.emit(this.next++));
    return out;
  }

  private emit(t: number): ContextFrame {
    const x = new Float32Array(INPUT_DIM);
    POOLS.forEach(([a, b], p) => {
      const o = p * BASE_DIM;
      for (let k = t + a; k <= t + b; k++) {
        const base = this.ring.at(k).base;
        for (let d = 0; d < BASE_DIM; d++) x[o + d] += base[d];
      }
      const n = b - a + 1;
      for (let d = 0; d < BASE_DIM; d++) x[o + d] /= n;
    });
    const f = this.ring.at(t);
    return { index: t, x, voice: voiceActivity(this.ring, t), energy: f.energy, snr: f.snr };
  }
}
