/**
 * Audio to float PCM at a chosen rate, through ffmpeg: mono (what the mouth model hears) or
 * interleaved channels (the sound the output keeps). Whole-buffer and streaming forms: a 16 kHz
 * mono float minute is 3.8 MB, so the whole-buffer form is fine for speech tracks, and the
 * streaming form keeps memory flat for anything longer.
 */
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { ffInputPath } from './probe.js';
import { inputGuardArgs } from './guard.js';
import { lastErrorLine } from './run.js';
import { readFixedChunks } from './pipe-chunks.js';

export interface DecodeAudioOptions {
  sampleRate?: number;
  /** Seconds to skip at the start. */
  startTime?: number;
  /** Seconds to keep. */
  duration?: number;
  /** Sample frames (one sample of every channel) per yielded chunk (streaming form). */
  chunkSamples?: number;
  /**
   * Channels, interleaved (default 1). ffmpeg mixes down or up to this count: 2 folds 5.1 into
   * stereo and plays a mono input on both sides.
   */
  channels?: number;
  stallTimeoutMs?: number;
}

export interface PcmAudio {
  sampleRate: number;
  samples: Float32Array;
}

function audioArgs(path: string, opts: DecodeAudioOptions): string[] {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...inputGuardArgs(path)];
  if (opts.startTime) args.push('-ss', String(opts.startTime));
  args.push('-i', ffInputPath(path), '-vn', '-sn', '-dn');
  if (opts.duration !== undefined) args.push('-t', String(opts.duration));
  args.push('-ac', String(opts.channels ?? 1), '-ar', String(opts.sampleRate ?? 16000), '-f', 'f32le', 'pipe:1');
  return args;
}

/** Streams float chunks (channels interleaved, whole sample frames); the last chunk may be shorter. */
export async function* decodeAudioChunks(path: string, opts: DecodeAudioOptions = {}): AsyncGenerator<Float32Array> {
  const { ffmpeg } = mediaTools();
  const frameBytes = 4 * (opts.channels ?? 1);
  const chunks = readFixedChunks(ffmpeg, audioArgs(path, opts), (opts.chunkSamples ?? 16000) * frameBytes, { stallTimeoutMs: opts.stallTimeoutMs, tailMultiple: frameBytes });
  let total = 0;
  try {
    for (;;) {
      const r = await chunks.next();
      if (r.done) {
        const { code, stalled, stderr } = r.value;
        if (stalled) throw new ResyncError('generation_input_timeout', 'audio decoding stalled');
        if (code !== 0 && total === 0) throw new ResyncError('generation_input_audio_invalid', `audio could not be decoded: ${lastErrorLine(stderr)}`);
        if (total === 0) throw new ResyncError('generation_input_audio_invalid', 'the input has no audio samples');
        return;
      }
      total += r.value.length;
      // each chunk owns a fresh, aligned buffer: view it as floats without copying
      yield new Float32Array(r.value.buffer, 0, r.value.length / 4);
    }
  } finally {
    // a consumer that stops early ends the reader, which kills ffmpeg
    await chunks.return(undefined as never);
  }
}

/** The whole track as one buffer (speech-length inputs). */
export async function decodeAudio(path: string, opts: DecodeAudioOptions = {}): Promise<PcmAudio> {
  const sampleRate = opts.sampleRate ?? 16000;
  const parts: Float32Array[] = [];
  let n = 0;
  for await (const c of decodeAudioChunks(path, { ...opts, sampleRate, chunkSamples: sampleRate * 10 })) {
    parts.push(c);
    n += c.length;
  }
  const samples = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    samples.set(p, o);
    o += p.length;
  }
  return { sampleRate, samples };
}
