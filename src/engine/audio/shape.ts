/**
 * Style applied to the general model's articulation: the speaker's own remap (adapt.ts) and the
 * temperature. Both act on the deviation from rest and are weighted by voice activity, so
 * neither can open a mouth that the gate closed.
 */
import type { Articulation } from './articulate.js';
import type { SpeakerProfile } from './types.js';

/** Gain on the deviation from rest: 0 → 0.4 (subdued), 0.5 → 1 (as modelled), 1 → 1.6. */
export function temperatureGain(temperature: number): number {
  if (!(temperature >= 0 && temperature <= 1)) throw new RangeError(`temperature must be in [0, 1], got ${temperature}`);
  return 0.4 + 1.2 * temperature;
}

export function shapeArticulation(a: Articulation, temperature: number, speaker?: SpeakerProfile): Articulation {
  const g = temperatureGain(temperature);
  const remap = (v: number, k: 'lipGap' | 'jaw' | 'width'): number => {
    if (!speaker) return v;
    const { gain, offset } = speaker.remap[k];
    return gain * v + offset * a.voice;
  };
  const lipGap = Math.max(0, remap(a.lipGap, 'lipGap') * g);
  const jaw = Math.max(0, remap(a.jaw, 'jaw') * g);
  const width = Math.max(-1.5, Math.min(1.5, remap(a.width, 'width') * g));
  return { ...a, lipGap, jaw, width };
}
