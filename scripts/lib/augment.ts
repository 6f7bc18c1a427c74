/**
 * Audio augmentation for the real training clips: the same speech under another microphone and
 * room, so the model learns the mouth from what speech has in common rather than from one
 * recording's colouring. Each copy gets a random spectral tilt (first-order pre-/de-emphasis),
 * a random gain, and steady noise at 15-35 dB SNR. Targets (the tracked mouth) are unchanged.
 */
import { rng } from './rng.js';

export function augmentSpeech(samples: Float32Array, seed: number): Float32Array {
  const rand = rng(seed);
  const out = new Float32Array(samples.length);
  // tilt: y[n] = x[n] - b·x[n-1]; b > 0 brightens, b < 0 darkens
  const b = -0.6 + 1.4 * rand();
  let prev = 0;
  let energy = 0;
  for (let i = 0; i < samples.length; i++) {
    const x = samples[i];
    out[i] = x - b * prev;
    prev = x;
    energy += out[i] * out[i];
  }
  const rms = Math.sqrt(energy / Math.max(1, samples.length));
  const snrDb = 15 + 20 * rand();
  const noise = rms / 10 ** (snrDb / 20);
  const gain = 10 ** ((-12 + 18 * rand()) / 20);
  let lp = 0;
  for (let i = 0; i < out.length; i++) {
    const w = rand() * 2 - 1;
    lp = 0.9 * lp + 0.1 * w; // mix of white and low-passed noise (hum, room)
    out[i] = Math.max(-1, Math.min(1, gain * (out[i] + noise * (0.6 * w + 1.5 * lp))));
  }
  return out;
}
