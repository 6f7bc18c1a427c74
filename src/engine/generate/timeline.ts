/**
 * Duration policy (Sync's `sync_mode`): how a video of one length is matched to audio of another.
 * Produces, for every output frame, which input frame it shows, plus how long the output and its
 * audio are. Pure arithmetic so every mode can be tested exactly.
 *
 *   cut_off  trim the longer track: output = the shorter length
 *   loop     restart the video until the audio ends: output = audio length
 *   bounce   play the video forward, then backward, ... until the audio ends: output = audio length
 *   silence  trim nothing: output = the longer length; short audio is padded with silence, a short
 *            video holds its last frame
 *   remap    time-stretch the video to the audio's length: output = audio length
 */
import { ResyncError } from '../errors.js';

export const SYNC_MODES = ['cut_off', 'loop', 'bounce', 'silence', 'remap'] as const;
export type SyncMode = (typeof SYNC_MODES)[number];

export function isSyncMode(s: string): s is SyncMode {
  return (SYNC_MODES as readonly string[]).includes(s);
}

export interface Timeline {
  mode: SyncMode;
  fps: number;
  /** Output frame i shows input frame sourceFrames[i]. */
  sourceFrames: Int32Array;
  /** Output duration in seconds (= frames / fps). */
  duration: number;
  /** Seconds of the new audio that are used (from its start); the rest of the output is silence. */
  audioUsed: number;
}

export function planTimeline(opts: { mode: SyncMode; videoFrames: number; fps: number; audioDuration: number; stillImage?: boolean }): Timeline {
  const { fps, videoFrames } = opts;
  if (!(fps > 0) || !(videoFrames > 0)) throw new ResyncError('generation_input_video_invalid', 'the video has no frames');
  if (!(opts.audioDuration > 0)) throw new ResyncError('generation_input_audio_invalid', 'the audio is empty');
  const audioFrames = Math.max(1, Math.round(opts.audioDuration * fps));
  // A still image is shown for as long as the audio lasts, whatever the mode (Sync ignores sync_mode for images).
  const mode: SyncMode = opts.stillImage ? 'loop' : opts.mode;
  let n: number;
  switch (mode) {
    case 'cut_off':
      n = Math.min(videoFrames, audioFrames);
      break;
    case 'silence':
      n = Math.max(videoFrames, audioFrames);
      break;
    default:
      n = audioFrames;
  }
  const src = new Int32Array(n);
  for (let i = 0; i < n; i++) src[i] = sourceFrame(mode, i, n, videoFrames);
  return { mode: opts.mode, fps, sourceFrames: src, duration: n / fps, audioUsed: Math.min(opts.audioDuration, n / fps) };
}

function sourceFrame(mode: SyncMode, i: number, n: number, v: number): number {
  switch (mode) {
    case 'cut_off':
      return i;
    case 'silence':
      return Math.min(i, v - 1);
    case 'loop':
      return i % v;
    case 'bounce': {
      if (v === 1) return 0;
      // Forward 0..v-1 then backward v-2..1, without repeating the turning frames.
      const period = 2 * (v - 1);
      const k = i % period;
      return k < v ? k : period - k;
    }
    case 'remap':
      return n === 1 ? 0 : Math.min(v - 1, Math.round((i * (v - 1)) / (n - 1)));
  }
}
