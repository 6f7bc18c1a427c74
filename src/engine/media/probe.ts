/**
 * ffprobe wrapper: what the engine needs to know about an input before it decodes it.
 * Fails with a stable error code instead of a stack trace for anything that is not usable media.
 */
import { stat } from 'node:fs/promises';
import { ResyncError, type ErrorCode } from '../errors.js';
import { mediaTools } from './tools.js';
import { runProcess, lastErrorLine } from './run.js';
import type { MediaInfo, VideoStreamInfo, AudioStreamInfo } from './types.js';

/** Demuxers that read other files or devices: never accepted as input (e.g. a concat list or HLS playlist pointing elsewhere). */
export const FORBIDDEN_FORMATS = ['concat', 'ffconcat', 'hls', 'applehttp', 'dash', 'lavfi', 'tty', 'image2pipe_list', 'sdp', 'rtsp', 'rtp', 'mmsh', 'http', 'tee', 'fifo', 'data'];

/** Only plain files may be read by ffprobe/ffmpeg for inputs. */
export const INPUT_PROTOCOLS = 'file,pipe';

const STILL_IMAGE_FORMATS = ['image2', 'png_pipe', 'jpeg_pipe', 'webp_pipe', 'bmp_pipe', 'tiff_pipe', 'gif', 'jpegls_pipe', 'ppm_pipe', 'pgm_pipe', 'qoi_pipe', 'j2k_pipe'];

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
    ['-v', 'error', '-protocol_whitelist', INPUT_PROTOCOLS, '-print_format', 'json', '-show_format', '-show_streams', '-count_packets', path],
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
    throw new ResyncError(invalid, `${role} input is not readable media: ${lastErrorLine(res.stderr) || 'unknown format'}`);
  }
  const formatName = parsed.format.format_name ?? '';
  if (formatName.split(',').some((f) => FORBIDDEN_FORMATS.includes(f))) {
    throw new ResyncError(invalid, `${role} input format "${formatName}" is not accepted (playlists and lists of other files are refused)`);
  }
  const streams = parsed.streams ?? [];
  const vs = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const as = streams.find((s) => s.codec_type === 'audio');
  const isStillImage = !!vs && (STILL_IMAGE_FORMATS.some((f) => formatName.split(',').includes(f)) || (vs.nb_read_packets === '1' && !as));
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
      frameCount,
      codec: vs.codec_name ?? 'unknown',
      pixelFormat: vs.pix_fmt ?? 'unknown',
      rotation: rot,
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
  return { path, formatName, duration, sizeBytes: size, video, audio, isStillImage };
}

function rotationOf(s: FfprobeStream): number {
  let deg = 0;
  const sd = s.side_data_list?.find((d) => typeof d.rotation === 'number');
  if (sd && typeof sd.rotation === 'number') deg = -sd.rotation;
  else if (s.tags?.rotate) deg = Number(s.tags.rotate) || 0;
  return ((Math.round(deg / 90) * 90) % 360 + 360) % 360;
}
