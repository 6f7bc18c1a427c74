/**
 * ffprobe wrapper: what the engine needs to know about an input before it decodes it.
 * Fails with a stable error code instead of a stack trace for anything that is not usable media.
 */
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ResyncError, type ErrorCode } from '../errors.js';
import { mediaTools } from './tools.js';
import { runProcess, lastErrorLine } from './run.js';
import { inputGuardArgs, isForbiddenFormat } from './guard.js';
import type { MediaInfo, VideoStreamInfo, AudioStreamInfo } from './types.js';

// Re-exported: other modules imported these from here before guard.ts existed.
export { FORBIDDEN_FORMATS, INPUT_PROTOCOLS } from './guard.js';

/** Single-image demuxers: one picture, never a moving video (animated gif/apng are judged by packet count). */
const STILL_IMAGE_FORMATS = ['image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe', 'jpegls_pipe', 'ppm_pipe', 'pgm_pipe', 'qoi_pipe', 'j2k_pipe'];

export function parseFraction(s: string | undefined): number {
  if (!s) return 0;
  const [a, b] = s.split('/').map(Number);
  if (!Number.isFinite(a)) return 0;
  if (b === undefined) return a;
  return b ? a / b : 0;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  sample_rate?: string;
  channels?: number;
  color_range?: string;
  color_space?: string;
  color_primaries?: string;
  color_transfer?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
  disposition?: { attached_pic?: number };
}

export interface ProbeOptions {
  timeoutMs?: number;
  /** Which input this is, so errors carry the right code. */
  role?: 'video' | 'audio';
}

export async function probeMedia(path: string, opts: ProbeOptions = {}): Promise<MediaInfo> {
  const role = opts.role ?? 'video';
  const invalid: ErrorCode = role === 'video' ? 'generation_input_video_invalid' : 'generation_input_audio_invalid';
  const inaccessible: ErrorCode = role === 'video' ? 'generation_input_video_inaccessible' : 'generation_input_audio_inaccessible';
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new ResyncError(inaccessible, `${role} input is not a file: ${path}`);
    size = st.size;
  } catch (e) {
    if (e instanceof ResyncError) throw e;
    throw new ResyncError(inaccessible, `${role} input not found: ${path}`, { cause: e });
  }
  if (size === 0) throw new ResyncError(invalid, `${role} input is empty (0 bytes): ${path}`);

  const { ffprobe } = mediaTools();
  const res = await runProcess(
    ffprobe,
    // -count_packets demuxes the whole file (no decoding): it gives exact frame counts and shows
    // truncation (fewer packets readable than the container's index declares).
    ['-v', 'error', ...inputGuardArgs(path), '-print_format', 'json', '-show_format', '-show_streams', '-count_packets', ffInputPath(path)],
    { timeoutMs: opts.timeoutMs ?? 60_000 },
  );
  if (res.timedOut) throw new ResyncError('generation_input_timeout', `probing the ${role} input took too long`);
  let parsed: { format?: { format_name?: string; duration?: string }; streams?: FfprobeStream[] };
  try {
    parsed = JSON.parse(res.stdout.toString() || '{}');
  } catch {
    parsed = {};
  }
  if (res.code !== 0 || !parsed.format) {
    const why = lastErrorLine(res.stderr) || 'unknown format';
    // The demuxer whitelist refuses playlists and file lists before they open anything; say so plainly.
    const listHint = /not on whitelist/i.test(res.stderr) ? ' (this container type is not accepted: playlists, file lists and image sequences are refused)' : '';
    throw new ResyncError(invalid, `${role} input is not readable media${listHint}: ${why}`);
  }
  const formatName = parsed.format.format_name ?? '';
  if (isForbiddenFormat(formatName)) {
    throw new ResyncError(invalid, `${role} input format "${formatName}" is not accepted (playlists and lists of other files are refused)`);
  }
  const streams = parsed.streams ?? [];
  const vs = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const as = streams.find((s) => s.codec_type === 'audio');
  const isStillImage = !!vs && (STILL_IMAGE_FORMATS.some((f) => formatName.split(',').includes(f)) || (vs.nb_read_packets === '1' && !as));
  // Only the MP4/MOV sample table gives a per-packet count to compare against (AIFF, for one,
  // reports PCM samples as nb_frames while its packets hold thousands of samples each).
  const indexed = formatName.split(',').includes('mov');
  const truncated = indexed && streams.some(isTruncated);
  let duration = Number(parsed.format.duration ?? NaN);

  let video: VideoStreamInfo | undefined;
  if (vs) {
    const codedWidth = vs.width ?? 0;
    const codedHeight = vs.height ?? 0;
    const rot = rotationOf(vs);
    const swap = rot === 90 || rot === 270;
    const r = parseFraction(vs.r_frame_rate);
    const avg = parseFraction(vs.avg_frame_rate);
    const vfr = r > 0 && avg > 0 && Math.abs(r - avg) / r > 0.01;
    const fps = (vfr ? avg : r || avg) || 25;
    const frameRate = (vfr ? vs.avg_frame_rate : r ? vs.r_frame_rate : avg ? vs.avg_frame_rate : undefined) ?? '25/1';
    const vDur = Number(vs.duration ?? NaN);
    if (!Number.isFinite(duration)) duration = vDur;
    const packets = Number(vs.nb_read_packets ?? vs.nb_frames ?? NaN);
    const frameCount = Number.isFinite(packets) && packets > 0 ? packets : Math.max(1, Math.round((Number.isFinite(duration) ? duration : 0) * fps));
    video = {
      width: swap ? codedHeight : codedWidth,
      height: swap ? codedWidth : codedHeight,
      codedWidth,
      codedHeight,
      fps,
      rFrameRate: vs.r_frame_rate ?? '0/0',
      avgFrameRate: vs.avg_frame_rate ?? '0/0',
      variableFrameRate: vfr,
      frameRate,
      frameCount,
      codec: vs.codec_name ?? 'unknown',
      pixelFormat: vs.pix_fmt ?? 'unknown',
      rotation: rot,
      duration: Number.isFinite(vDur) ? vDur : undefined,
      colorRange: vs.color_range,
      colorSpace: vs.color_space,
      colorPrimaries: vs.color_primaries,
      colorTransfer: vs.color_transfer,
    };
  }
  let audio: AudioStreamInfo | undefined;
  if (as) {
    audio = {
      codec: as.codec_name ?? 'unknown',
      sampleRate: Number(as.sample_rate ?? 0),
      channels: as.channels ?? 0,
      duration: Number(as.duration ?? duration),
    };
  }
  if (!Number.isFinite(duration)) duration = 0;
  return { path, formatName, duration, sizeBytes: size, video, audio, isStillImage, truncated };
}

/**
 * The path as given to ffmpeg/ffprobe: absolute, so a relative name such as "pipe:0" or
 * "concat:a|b" can never be read as a protocol prefix.
 */
export function ffInputPath(path: string): string {
  return resolve(path);
}

/**
 * A stream is truncated when fewer packets could be read than its index declares (an mp4 whose
 * moov is intact but whose mdat was cut off). Formats without an index (MPEG-PS, Matroska
 * without counts) report no declared count and cannot be judged this way.
 */
function isTruncated(s: FfprobeStream): boolean {
  if (s.codec_name?.startsWith('pcm_')) return false; // PCM sample entries count samples, not packets
  const declared = Number(s.nb_frames ?? NaN);
  const read = Number(s.nb_read_packets ?? NaN);
  if (!Number.isFinite(declared) || !Number.isFinite(read) || declared <= 0) return false;
  // One packet of slack: some muxers count a trailing empty sample.
  return declared - read > Math.max(1, declared * 0.01);
}

function rotationOf(s: FfprobeStream): number {
  let deg = 0;
  const sd = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  if (sd && typeof sd.rotation === 'number') deg = -sd.rotation;
  else if (s.tags?.rotate) deg = Number(s.tags.rotate) || 0;
  return ((Math.round(deg / 90) * 90) % 360 + 360) % 360;
}
