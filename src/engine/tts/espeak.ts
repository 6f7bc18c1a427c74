/**
 * espeak-ng through its emscripten build (@echogarden/espeak-ng-emscripten, GPL-3.0, 140 voices):
 * offline speech with phoneme events at their audio positions. Used by the offline TTS provider
 * and, through scripts/lib/espeak.ts, by the training script and the tests.
 *
 * The module keeps one synthesiser; calls are synchronous inside it, so they are serialised
 * through a promise chain (voice and rate are per-call state on a shared object).
 */
import type init from '@echogarden/espeak-ng-emscripten';
import type { PhonemeEvent } from '../audio/phonetics.js';
import { ResyncError } from '../errors.js';

export const ESPEAK_RATE = 22050;

export interface SynthSpeech {
  sampleRate: number;
  samples: Float32Array;
  phonemes: PhonemeEvent[];
  duration: number;
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

export interface EspeakVoice {
  /** What set_voice accepts, e.g. 'gmw/en-US'. */
  identifier: string;
  name: string;
  /** Language tags, most specific first, e.g. ['en-us', 'en']. */
  languages: string[];
}

type Worker = InstanceType<Awaited<ReturnType<typeof init>>['eSpeakNGWorker']>;
let worker: Promise<Worker> | null = null;
let queue: Promise<unknown> = Promise.resolve();

// Loaded on first use: the package is GPL-3.0 and 24 MB, and a deployment that configures only
// hosted voices can leave it out.
function getWorker(): Promise<Worker> {
  worker ??= import('@echogarden/espeak-ng-emscripten').then(
    async (m) => {
      const mod = await m.default();
      return withFixedClock(() => new mod.eSpeakNGWorker());
    },
    (e: unknown) => {
      worker = null;
      throw new ResyncError('invalid_argument', 'the offline espeak-ng voice is not installed (npm package @echogarden/espeak-ng-emscripten); install it or configure a hosted provider', {
        cause: e,
        detail: 'tts_provider_not_configured',
      });
    },
  );
  return worker;
}

/**
 * Starts a fresh synthesiser for the next call (a new WASM instance). espeak keeps state between
 * utterances, so the same text can come out slightly differently later in a process; the training
 * corpus resets first so it is the same in every process (measured: two corpus builds in one
 * process differed by 0.14% of their samples before).
 */
export function resetEspeak(): Promise<void> {
  const done = queue.then(() => {
    worker = null;
  });
  queue = done.catch(() => undefined);
  return done;
}

/**
 * espeak-ng reads the clock for the seed of its noise source (the breath in variants such as
 * '+f3'), so the same text came out differently in every process. Its calls are synchronous, so
 * holding the clock still while one runs affects nothing else, and makes synthesis repeatable.
 */
function withFixedClock<T>(f: () => T): T {
  const now = Date.now;
  Date.now = () => 0;
  try {
    return f();
  } finally {
    Date.now = now;
  }
}

function serial<T>(f: (w: Worker) => T): Promise<T> {
  const run = queue.then(async () => {
    const w = await getWorker();
    return withFixedClock(() => f(w));
  });
  queue = run.catch(() => undefined);
  return run;
}

export function listEspeakVoices(): Promise<EspeakVoice[]> {
  return serial((w) =>
    w.list_voices().map((v) => ({ identifier: v.identifier, name: v.name.trim(), languages: v.languages.map((l) => l.name.toLowerCase()) })),
  );
}

/**
 * Maps a user's voice name (identifier, its last part, a language tag or the voice's name, any
 * case, optional '+variant') to what espeak accepts, or null when no voice matches. espeak itself
 * silently keeps the previous voice for an unknown name, so this check is the only guard.
 */
export function matchEspeakVoice(voices: EspeakVoice[], wanted: string): string | null {
  const [base, variant] = wanted.trim().split('+', 2);
  const w = base.toLowerCase();
  if (!w) return null;
  const hit =
    voices.find((v) => v.identifier.toLowerCase() === w) ??
    voices.find((v) => v.identifier.toLowerCase().split('/').pop() === w) ??
    voices.find((v) => v.languages[0] === w) ??
    voices.find((v) => v.languages.includes(w)) ??
    voices.find((v) => v.name.toLowerCase() === w);
  if (!hit) return null;
  return variant ? `${hit.identifier}+${variant}` : hit.identifier;
}

export function synthesize(text: string, opts: SynthOptions): Promise<SynthSpeech> {
  return serial((w) => {
    w.set_voice(opts.voice);
    w.set_rate(opts.rate ?? 175);
    w.set_pitch(opts.pitch ?? 50);
    w.set_range(opts.range ?? 50);
    const chunks: Int16Array[] = [];
    const marks: { t: number; ipa: string }[] = [];
    let n = 0;
    w.synthesize(text, (samples, events) => {
      if (samples && samples.length) {
        chunks.push(samples.slice());
        n += samples.length;
      }
      for (const e of events) {
        if (e.type === 'phoneme') marks.push({ t: e.audio_position / 1000, ipa: String(e.id ?? '') });
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
  });
}
