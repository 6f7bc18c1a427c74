/**
 * Synthetic speech with phoneme timings from espeak-ng (the emscripten build, a dev
 * dependency): the training script and the tests use it to make speech whose articulation is
 * known. Not part of the engine.
 */
import init from '@echogarden/espeak-ng-emscripten';
import type { PhonemeEvent } from '../../src/engine/audio/phonetics.js';

export const ESPEAK_RATE = 22050;

export interface SynthSpeech {
  sampleRate: number;
  samples: Float32Array;
  phonemes: PhonemeEvent[];
  duration: number;
}

type Worker = InstanceType<Awaited<ReturnType<typeof init>>['eSpeakNGWorker']>;
let worker: Worker | null = null;

async function getWorker(): Promise<Worker> {
  if (!worker) {
    const m = await init();
    worker = new m.eSpeakNGWorker();
  }
  return worker;
}

export interface SynthOptions {
  /** espeak-ng voice id, e.g. 'en-us', 'fr', 'cmn', 'ja'; '+f3'-style variants allowed. */
  voice: string;
  /** Words per minute (espeak default 175). */
  rate?: number;
  /** 0..99 (default 50). */
  pitch?: number;
  /** 0..99 intonation range (default 50). */
  range?: number;
}

export async function synthesize(text: string, opts: SynthOptions): Promise<SynthSpeech> {
  const w = await getWorker();
  w.set_voice(opts.voice);
  w.set_rate(opts.rate ?? 175);
  w.set_pitch(opts.pitch ?? 50);
  w.set_range(opts.range ?? 50);
  const chunks: Int16Array[] = [];
  const marks: { t: number; ipa: string }[] = [];
  let n = 0;
  let endMs = 0;
  w.synthesize(text, (samples, events) => {
    if (samples && samples.length) {
      chunks.push(samples.slice());
      n += samples.length;
    }
    for (const e of events) {
      if (e.type === 'phoneme') marks.push({ t: e.audio_position / 1000, ipa: String(e.id ?? '') });
      if (e.type === 'end') endMs = Math.max(endMs, e.audio_position);
    }
  });
  const samples = new Float32Array(n);
  let o = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) samples[o + i] = c[i] / 32768;
    o += c.length;
  }
  const duration = n / ESPEAK_RATE;
  const phonemes: PhonemeEvent[] = marks.map((m, i) => ({ ipa: m.ipa, start: m.t, end: i + 1 < marks.length ? marks[i + 1].t : duration }));
  // Leading silence before the first phoneme is a pause too.
  if (phonemes.length && phonemes[0].start > 0) phonemes.unshift({ ipa: '', start: 0, end: phonemes[0].start });
  return { sampleRate: ESPEAK_RATE, samples, phonemes, duration };
}
