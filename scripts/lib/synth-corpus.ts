/**
 * The synthetic training corpus: espeak-ng sentences in ~20 languages, several voices and
 * speaking rates, joined into long streams with pauses, breaths and background noise between
 * them, with articulation targets from the phoneme timings (phonetics.ts).
 */
import { synthesize, resetEspeak } from './espeak.js';
import { SENTENCES } from './sentences.js';
import { rng } from './rng.js';
import { resampleTo16k, SAMPLE_RATE } from '../../src/engine/audio/features.js';
import { targetsFromPhonemes, type PhonemeEvent, type TargetTrack } from '../../src/engine/audio/phonetics.js';

export interface Stream {
  name: string;
  lang: string;
  samples: Float32Array;
  targets: TargetTrack;
}

const VOICE_SETTINGS = [
  { variant: '', rate: 165, pitch: 45 },
  { variant: '+f3', rate: 200, pitch: 65 },
  { variant: '+m3', rate: 140, pitch: 35 },
];

/** Soft noise with a 1/f-ish tilt (sum of a white and an integrated component). */
function noise(n: number, rand: () => number, level: number): Float32Array {
  const out = new Float32Array(n);
  let b = 0;
  for (let i = 0; i < n; i++) {
    const w = rand() * 2 - 1;
    b = 0.98 * b + 0.1 * w;
    out[i] = level * (0.5 * w + b);
  }
  return out;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return Math.sqrt(s / Math.max(1, x.length));
}

export async function buildCorpus(seed: number, log: (m: string) => void): Promise<Stream[]> {
  await resetEspeak(); // same corpus in every process, whatever was synthesised before
  const rand = rng(seed);
  const streams: Stream[] = [];
  for (const [lang, sentences] of Object.entries(SENTENCES)) {
    for (const [vi, vs] of VOICE_SETTINGS.entries()) {
      const parts: Float32Array[] = [];
      const events: PhonemeEvent[] = [];
      let t = 0;
      const pushSilence = (sec: number, withBreath: boolean): void => {
        const n = Math.round(sec * SAMPLE_RATE);
        const s = noise(n, rand, 0.0005 + 0.002 * rand());
        if (withBreath && n > SAMPLE_RATE * 0.5) {
          // A breath: 300 ms of band-limited noise with a soft envelope. Target: rest.
          const len = Math.round(0.3 * SAMPLE_RATE);
          const at = Math.round((n - len) / 2);
          const br = noise(len, rand, 0.01 + 0.02 * rand());
          for (let i = 0; i < len; i++) s[at + i] += br[i] * Math.sin((Math.PI * i) / len);
        }
        parts.push(s);
        events.push({ ipa: '', start: t, end: t + n / SAMPLE_RATE });
        t += n / SAMPLE_RATE;
      };
      pushSilence(0.4 + rand() * 0.6, false);
      for (const text of sentences) {
        let sp;
        try {
          sp = await synthesize(text, { voice: lang + vs.variant, rate: vs.rate + Math.round((rand() - 0.5) * 30), pitch: vs.pitch });
        } catch {
          sp = await synthesize(text, { voice: lang, rate: vs.rate, pitch: vs.pitch });
        }
        const x = resampleTo16k(sp.samples, sp.sampleRate);
        const gain = 10 ** ((-20 + rand() * 24) / 20) / Math.max(1e-6, Math.max(...x.map(Math.abs)));
        for (let i = 0; i < x.length; i++) x[i] *= gain;
        parts.push(x);
        for (const e of sp.phonemes) events.push({ ipa: e.ipa, start: t + e.start, end: t + e.end });
        t += x.length / SAMPLE_RATE;
        pushSilence(0.25 + rand() * 1.0, rand() < 0.5);
      }
      let n = 0;
      for (const p of parts) n += p.length;
      const samples = new Float32Array(n);
      let o = 0;
      for (const p of parts) {
        samples.set(p, o);
        o += p.length;
      }
      // Every other stream gets steady background noise at 12–30 dB SNR.
      if (vi % 2 === 1) {
        const bg = noise(n, rand, 1);
        const snr = 12 + rand() * 18;
        const k = rms(samples) / rms(bg) / 10 ** (snr / 20);
        for (let i = 0; i < n; i++) samples[i] += k * bg[i];
      }
      streams.push({ name: `${lang}${vs.variant || '+default'}`, lang, samples, targets: targetsFromPhonemes(events, n / SAMPLE_RATE) });
    }
    log(`synth ${lang}: ${streams.filter((s) => s.lang === lang).reduce((a, s) => a + s.samples.length / SAMPLE_RATE, 0).toFixed(1)} s`);
  }
  return streams;
}
