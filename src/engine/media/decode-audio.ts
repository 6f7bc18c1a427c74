/**
 * Audio to mono float PCM at a chosen rate, through ffmpeg. Whole-buffer and streaming forms:
 * a 16 kHz mono float minute is 3.8 MB, so the whole-buffer form is fine for speech tracks,
 * and the streaming form keeps memory flat for anything longer.
 */
import { spawn } from 'node:child_process';
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { ffInputPath } from './probe.js';
import { inputGuardArgs } from './guard.js';
import { lastErrorLine } from './run.js';

export interface DecodeAudioOptions {
  sampleRate?: number;
  /** Seconds to skip at the start. */
  startTime?: number;
  /** Seconds to keep. */
  duration?: number;
  /** Samples per yielded chunk (streaming form). */
  chunkSamples?: number;
  stallTimeoutMs?: number;
}

export interface PcmAudio {
  sampleRate: number;
  samples: Float32Array;
}

function audioArgs(path: string, opts: DecodeAudioOptions): string[] {
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...inputGuardArgs()];
  if (opts.startTime) args.push('-ss', String(opts.startTime));
  args.push('-i', ffInputPath(path), '-vn', '-sn', '-dn');
  if (opts.duration !== undefined) args.push('-t', String(opts.duration));
  args.push('-ac', '1', '-ar', String(opts.sampleRate ?? 16000), '-f', 'f32le', 'pipe:1');
  return args;
}

/** Streams mono float chunks; the last chunk may be shorter. */
export async function* decodeAudioChunks(path: string, opts: DecodeAudioOptions = {}): AsyncGenerator<Float32Array> {
  const { ffmpeg } = mediaTools();
  const chunkBytes = (opts.chunkSamples ?? 16000) * 4;
  const child = spawn(ffmpeg, audioArgs(path, opts), { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => {
    if (stderr.length < 64 * 1024) stderr += b.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const stall = opts.stallTimeoutMs ?? 60_000;
  let stalled = false;
  const onStall = (): void => {
    stalled = true;
    child.kill('SIGKILL');
  };
  let timer = setTimeout(onStall, stall);
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let total = 0;
  let finished = false;
  const take = (n: number): Float32Array => {
    const all = Buffer.concat(pending, pendingLen);
    const out = new Float32Array(n / 4);
    new Uint8Array(out.buffer).set(all.subarray(0, n));
    const rest = all.subarray(n);
    pending = rest.length ? [rest] : [];
    pendingLen = rest.length;
    return out;
  };
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      clearTimeout(timer);
      timer = setTimeout(onStall, stall);
      pending.push(chunk);
      pendingLen += chunk.length;
      while (pendingLen >= chunkBytes) {
        total += chunkBytes;
        yield take(chunkBytes);
      }
    }
    const tail = pendingLen - (pendingLen % 4);
    if (tail > 0) {
      total += tail;
      yield take(tail);
    }
    finished = true;
  } finally {
    clearTimeout(timer);
    if (!finished) child.kill('SIGKILL');
  }
  const code = await exited;
  if (stalled) throw new ResyncError('generation_input_timeout', 'audio decoding stalled');
  if (code !== 0 && total === 0) {
    throw new ResyncError('generation_input_audio_invalid', `audio could not be decoded: ${lastErrorLine(stderr)}`);
  }
  if (total === 0) throw new ResyncError('generation_input_audio_invalid', 'the input has no audio samples');
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
