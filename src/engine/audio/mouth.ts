/**
 * The audio stage's entry points: whole buffers, files (streamed through ffmpeg) and a frame
 * generator for arbitrarily long inputs. All of them run the same MouthStream.
 */
import { decodeAudioChunks } from '../media/decode-audio.js';
import { MouthStream, loadDefaultModel } from './stream.js';
import { Articulator, type Articulation } from './articulate.js';
import { AudioFrontend, contextFrames } from './frontend.js';
import { resampleTo16k, SAMPLE_RATE } from './features.js';
import { MouthModel } from './model.js';
import { MOUTH_FORMAT, MOUTH_VERSION, type MouthFrame, type MouthOptions, type MouthTrack, type FaceMapping } from './types.js';

function faceMapping(opts: MouthOptions, model: MouthModel): FaceMapping {
  return opts.speaker ? opts.speaker.face : { ...model.weights.face, source: 'general' };
}

function toTrack(stream: MouthStream, frames: MouthFrame[], opts: MouthOptions, model: MouthModel): MouthTrack {
  const s = stream.settings;
  return {
    format: MOUTH_FORMAT,
    version: MOUTH_VERSION,
    fps: s.fps,
    duration: Math.round(stream.duration * 1e6) / 1e6,
    settings: { temperature: s.temperature, leadMs: s.leadMs, model: s.model.name, speakerAdapted: s.speakerAdapted },
    face: faceMapping(opts, model),
    frames,
    stats: { voicedFraction: Math.round(stream.voicedFraction * 1e4) / 1e4 },
  };
}

/** Mouth track for mono PCM at any sample rate. */
export function mouthFromSamples(samples: Float32Array, sampleRate: number, opts: MouthOptions = {}, model: MouthModel = loadDefaultModel()): MouthTrack {
  const stream = new MouthStream(opts, model);
  const frames = stream.push(resampleTo16k(samples, sampleRate));
  frames.push(...stream.end());
  return toTrack(stream, frames, opts, model);
}

/** Mouth frames for any file or URL ffmpeg can read, yielded as they are ready (flat memory). */
export async function* mouthFrames(path: string, opts: MouthOptions = {}, model: MouthModel = loadDefaultModel()): AsyncGenerator<MouthFrame, MouthTrack> {
  const stream = new MouthStream(opts, model);
  for await (const chunk of decodeAudioChunks(path, { sampleRate: SAMPLE_RATE, chunkSamples: SAMPLE_RATE })) {
    for (const f of stream.push(chunk)) yield f;
  }
  for (const f of stream.end()) yield f;
  // The summary (without frames) is the generator's return value.
  return toTrack(stream, [], opts, model);
}

/** Whole mouth track for a file or URL. */
export async function mouthFromFile(path: string, opts: MouthOptions = {}, model: MouthModel = loadDefaultModel()): Promise<MouthTrack> {
  const frames: MouthFrame[] = [];
  const gen = mouthFrames(path, opts, model);
  for (;;) {
    const r = await gen.next();
    if (r.done) return { ...r.value, frames };
    frames.push(r.value);
  }
}

/** Untempered, unshifted articulation at 100 Hz (speaker fitting, training, benchmarks). */
export function articulation100(samples16k: Float32Array, model: MouthModel = loadDefaultModel()): Articulation[] {
  const art = new Articulator(model);
  return contextFrames(samples16k).map((f) => art.step(f));
}

/**
 * `articulation100` of any file ffmpeg can read, streamed: the samples are never held whole
 * (a minute of 16 kHz float is 3.8 MB), and the work comes in one-second steps, so it can share
 * the main thread with a face analysis without holding up its workers.
 */
export async function articulation100FromFile(path: string, model: MouthModel = loadDefaultModel()): Promise<Articulation[]> {
  const fe = new AudioFrontend();
  const art = new Articulator(model);
  const out: Articulation[] = [];
  for await (const chunk of decodeAudioChunks(path, { sampleRate: SAMPLE_RATE, chunkSamples: SAMPLE_RATE })) {
    for (const f of fe.push(chunk)) out.push(art.step(f));
  }
  for (const f of fe.flush()) out.push(art.step(f));
  return out;
}
