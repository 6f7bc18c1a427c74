/**
 * From context frames to articulation at 100 Hz: the model's outputs clamped to their ranges
 * and gated by voice activity, so silence, breaths and steady noise leave the mouth at rest
 * whatever the model says there.
 */
import type { ContextFrame } from './context.js';
import { MouthModel } from './model.js';
import type { MouthFrame } from './types.js';

/** One 100 Hz articulation step: the mouth-frame channels, indexed by feature frame instead of time. */
export type Articulation = Omit<MouthFrame, 't'> & { index: number };

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);

/** The model's closure output, clamped and gated by voice activity. */
export function gatedClosure(raw: number, gate: number): number {
  return clamp(raw, 0, 1) * gate;
}

/** The model's lip-gap output, clamped and gated; a closed lip contact wins over whatever opening the regression blends in around it. */
export function gatedLipGap(raw: number, closure: number, gate: number): number {
  return clamp(raw, 0, 1.5) * gate * (1 - 0.8 * closure);
}

export class Articulator {
  private readonly buf = new Float64Array(5);
  /** @param gate shapes voice activity into the gate (default: the activity itself) */
  constructor(
    private readonly model: MouthModel,
    private readonly gate: (voice: number) => number = (v) => v,
  ) {}

  step(f: ContextFrame): Articulation {
    const p = this.model.predict(f.x, this.buf);
    const g = this.gate(f.voice);
    const closure = gatedClosure(p[3], g);
    return {
      index: f.index,
      lipGap: gatedLipGap(p[0], closure, g),
      jaw: clamp(p[1], 0, 1.5) * g,
      width: clamp(p[2], -1, 1) * g,
      closure,
      labiodental: clamp(p[4], 0, 1) * g,
      voice: f.voice,
    };
  }
}
