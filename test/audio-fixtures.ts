/**
 * Audio the audio-stage tests make themselves: espeak-ng speech with its phoneme timings,
 * silence and noise, all at 16 kHz. No shared data, no network.
 */
import { synthesize } from '../scripts/lib/espeak.js';
import { resampleTo16k, SAMPLE_RATE } from '../src/engine/audio/features.js';
import { phoneKind, basePhone, type PhonemeEvent } from '../src/engine/audio/phonetics.js';
import { rng } from '../scripts/lib/rng.js';

export interface TestSpeech {
  samples: Float32Array;
  phonemes: PhonemeEvent[];
  duration: number;
}

/** Speech with `lead` seconds of silence before and `tail` after. */
export async function speech(text: string, voice = 'en-us', lead = 0.5, tail = 0.5, gain = 0.5): Promise<TestSpeech> {
  const sp = await synthesize(text, { voice, rate: 160 });
  const x = resampleTo16k(sp.samples, sp.sampleRate);
  let peak = 1e-9;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const pre = Math.round(lead * SAMPLE_RATE);
  const out = new Float32Array(pre + x.length + Math.round(tail * SAMPLE_RATE));
  for (let i = 0; i < x.length; i++) out[pre + i] = (x[i] / peak) * gain;
  const phonemes = sp.phonemes.map((p) => ({ ipa: p.ipa, start: p.start + lead, end: p.end + lead }));
  return { samples: out, phonemes, duration: out.length / SAMPLE_RATE };
}

/** Release times of bilabial stops and starts of /m/ (seconds). */
export function bilabialEvents(ph: PhonemeEvent[]): { t: number; phone: string }[] {
  return ph.filter((p) => phoneKind(p.ipa) === 'bilabial').map((p) => ({ t: p.start, phone: basePhone(p.ipa) }));
}

export function whiteNoise(seconds: number, rms: number, seed = 1): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  const k = rms * Math.sqrt(3);
  for (let i = 0; i < out.length; i++) out[i] = (r() * 2 - 1) * k;
  return out;
}

/** Brown-ish noise (integrated white): room rumble, traffic. */
export function rumble(seconds: number, rms: number, seed = 2): Float32Array {
  const r = rng(seed);
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  let b = 0;
  let s = 0;
  for (let i = 0; i < out.length; i++) {
    b = 0.995 * b + (r() * 2 - 1);
    out[i] = b;
    s += b * b;
  }
  const k = rms / Math.sqrt(s / out.length);
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

/** A simple music-like signal: sustained harmonic notes changing every 400 ms. */
export function music(seconds: number, rms: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * SAMPLE_RATE));
  const notes = [220, 277, 330, 440, 392, 330];
  let s = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / SAMPLE_RATE;
    const f = notes[Math.floor(t / 0.4) % notes.length];
    let v = 0;
    for (let h = 1; h <= 5; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
    out[i] = v;
    s += v * v;
  }
  const k = rms / Math.sqrt(s / out.length);
  for (let i = 0; i < out.length; i++) out[i] *= k;
  return out;
}

export function concat(...parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
