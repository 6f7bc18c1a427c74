/**
 * Sync's `segments`: different audio for different time ranges of the video. The output keeps the
 * video's length; inside each segment the mouth follows the segment's audio (cropped to
 * audioInput.startTime..endTime when given, then cut or padded with silence to the segment's span),
 * and outside every segment the original picture and the original sound are kept.
 */
import { ResyncError } from '../errors.js';

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
 * Builds the output sound track: the original audio (or silence) with each segment's audio laid
 * over its span. All buffers share one sample rate.
 */
export function composeSegmentAudio(opts: {
  sampleRate: number;
  duration: number;
  original?: Float32Array;
  segments: ResolvedSegment[];
  audio: Record<string, Float32Array>;
}): Float32Array {
  const { sampleRate } = opts;
  const n = Math.round(opts.duration * sampleRate);
  const out = new Float32Array(n);
  if (opts.original) out.set(opts.original.subarray(0, n));
  for (const s of opts.segments) {
    const src = opts.audio[s.audioInput.refId];
    const a0 = Math.round((s.audioInput.startTime ?? 0) * sampleRate);
    const a1 = s.audioInput.endTime !== undefined ? Math.round(s.audioInput.endTime * sampleRate) : src.length;
    const o0 = Math.round(s.startTime * sampleRate);
    const o1 = Math.min(n, Math.round(s.endTime * sampleRate));
    out.fill(0, o0, o1);
    const len = Math.max(0, Math.min(o1 - o0, a1 - a0, src.length - a0));
    if (len > 0) out.set(src.subarray(a0, a0 + len), o0);
  }
  return out;
}
