/**
 * Sync's `segments`: different audio for different time ranges of the video. The output keeps the
 * video's length; inside each segment the mouth follows the segment's audio (cropped to
 * audioInput.startTime..endTime when given, then cut or padded with silence to the segment's span),
 * and outside every segment the original picture and the original sound are kept.
 */
import { ResyncError } from '../errors.js';
import { TempFile } from '../temp-dirs.js';
import { decodeAudioChunks } from '../media/decode-audio.js';
import { WAV_HEADER_BYTES, wavHeader } from '../media/wav.js';

export interface SegmentSpec {
  startTime: number;
  endTime: number;
  audioInput: { refId: string; startTime?: number; endTime?: number };
}

export interface ResolvedSegment extends SegmentSpec {
  /** Output frames [startFrame, endFrame) driven by this segment's audio. */
  startFrame: number;
  endFrame: number;
}

export function validateSegments(segments: SegmentSpec[], videoDuration: number, refIds: string[], fps: number): ResolvedSegment[] {
  const bad = (msg: string): never => {
    throw new ResyncError('generation_input_segments_invalid', `segments: ${msg}`);
  };
  if (!Array.isArray(segments) || segments.length === 0) bad('at least one segment is needed');
  const sorted = [...segments].sort((a, b) => a.startTime - b.startTime);
  const out: ResolvedSegment[] = [];
  let prevEnd = -Infinity;
  for (const s of sorted) {
    if (!Number.isFinite(s.startTime) || !Number.isFinite(s.endTime) || s.startTime < 0 || s.endTime <= s.startTime) bad(`bad time range ${s.startTime}..${s.endTime}`);
    if (s.startTime < prevEnd - 1e-6) bad(`segments overlap at ${s.startTime}s`);
    if (s.startTime >= videoDuration) bad(`segment starts at ${s.startTime}s, after the video ends (${videoDuration.toFixed(2)}s)`);
    if (!s.audioInput || !refIds.includes(s.audioInput.refId)) bad(`audioInput.refId "${s.audioInput?.refId}" names no audio input`);
    const a = s.audioInput;
    if ((a.startTime === undefined) !== (a.endTime === undefined)) bad('audioInput.startTime and endTime come together or not at all');
    if (a.startTime !== undefined && a.endTime !== undefined && !(a.endTime > a.startTime && a.startTime >= 0)) bad('audioInput crop must have endTime > startTime ≥ 0');
    prevEnd = s.endTime;
    const end = Math.min(s.endTime, videoDuration);
    out.push({ ...s, endTime: end, startFrame: Math.round(s.startTime * fps), endFrame: Math.round(end * fps) });
  }
  return out;
}

/**
 * Where a segment's audio comes from, per sample rate and channel count: its decoded chunks in
 * order, channels interleaved, each chunk whole sample frames.
 */
export type DecodeChunks = (path: string, sampleRate: number, channels: number) => AsyncIterable<Float32Array>;

const decodeChunks: DecodeChunks = (path, sampleRate, channels) => decodeAudioChunks(path, { sampleRate, channels, chunkSamples: sampleRate });

/**
 * Builds the output sound track as a 32-bit float WAV temporary file of `channels` interleaved
 * channels (default mono): the original audio (or silence) with each segment's audio laid over
 * its span, cropped to its audioInput range and cut or padded with silence to the span. Every
 * input streams through once per call and is written at its place in the file, so the sound is
 * never held whole (in memory it was 15 MB a minute of output at 16 and 48 kHz). Times are in
 * sample frames (one sample of every channel). The caller closes the file.
 */
export async function composeSegmentSound(opts: {
  sampleRate: number;
  /** Interleaved channels of the file (default 1); every input is mixed to this count. */
  channels?: number;
  duration: number;
  /** The video's own sound, laid under everything. */
  original?: string;
  segments: ResolvedSegment[];
  /** Audio input paths by refId. */
  audio: Record<string, string>;
  parent?: string;
  decode?: DecodeChunks;
}): Promise<TempFile> {
  const sr = opts.sampleRate;
  const ch = opts.channels ?? 1;
  const decode = (path: string): AsyncIterable<Float32Array> => (opts.decode ?? decodeChunks)(path, sr, ch);
  const n = Math.round(opts.duration * sr);
  const file = new TempFile('segments', `sound-${sr}.wav`, opts.parent);
  try {
    // data: samples (channels interleaved) from sample frame `frame` on
    const put = (frame: number, data: Float32Array): void => file.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), WAV_HEADER_BYTES + frame * ch * 4);
    file.append(wavHeader(n, sr, 'float32', ch));
    file.extend(n * ch * 4); // silence, written only where sound goes
    const zeroFrames = 16384;
    const zeros = new Float32Array(zeroFrames * ch);
    if (opts.original) {
      let o = 0;
      for await (const c of decode(opts.original)) {
        const frames = c.length / ch;
        const take = Math.min(frames, n - o);
        if (take > 0) put(o, c.subarray(0, take * ch));
        o += take;
        if (o >= n) break;
      }
    }
    // each span silenced first where the original was written (it is not heard under a segment;
    // without it the span is still the file's hole of zeros), then filled from its input
    const spans = opts.segments.map((s) => {
      const a0 = Math.round((s.audioInput.startTime ?? 0) * sr);
      const a1 = s.audioInput.endTime !== undefined ? Math.round(s.audioInput.endTime * sr) : Infinity;
      const o0 = Math.round(s.startTime * sr);
      const o1 = Math.min(n, Math.round(s.endTime * sr));
      if (opts.original) for (let k = o0; k < o1; k += zeroFrames) put(k, zeros.subarray(0, Math.min(zeroFrames, o1 - k) * ch));
      // input frames [a0, a0 + len) go to [o0, o0 + len); a shorter input leaves the rest silent
      return { ref: s.audioInput.refId, a0, len: Math.max(0, Math.min(o1 - o0, a1 - a0)), o0 };
    });
    for (const ref of new Set(spans.map((s) => s.ref))) {
      const mine = spans.filter((s) => s.ref === ref && s.len > 0);
      if (!mine.length) continue;
      const last = Math.max(...mine.map((s) => s.a0 + s.len));
      let at = 0; // input frame index of the chunk's start
      for await (const c of decode(opts.audio[ref])) {
        const frames = c.length / ch;
        for (const s of mine) {
          const from = Math.max(at, s.a0), to = Math.min(at + frames, s.a0 + s.len);
          if (to > from) put(s.o0 + from - s.a0, c.subarray((from - at) * ch, (to - at) * ch));
        }
        at += frames;
        if (at >= last) break;
      }
    }
    return file;
  } catch (e) {
    file.close();
    throw e;
  }
}

/**
 * How many channels the output sound of segments keeps: stereo when the video's own sound or any
 * segment audio has more than one channel (ffmpeg folds 5.1 and wider into stereo), else mono.
 */
export function segmentSoundChannels(channelCounts: Array<number | undefined>): 1 | 2 {
  return channelCounts.some((c) => (c ?? 1) > 1) ? 2 : 1;
}
