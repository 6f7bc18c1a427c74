/**
 * Streams decoded frames out of ffmpeg one at a time: memory stays at a few frames whatever the
 * clip length or resolution (a 4K minute is never held in memory).
 *
 * Rotation: by default ffmpeg applies the rotation tag while decoding, so frames (and `region`)
 * are display-oriented, i.e. upright as a viewer sees them, with the display width/height from
 * probeMedia. This is what the pipeline uses end to end: faces are found on upright frames and the
 * encoder writes upright frames with no rotation tag, so every player shows the same picture.
 * `noAutorotate` gives the coded (stored) orientation instead; pass codedWidth/codedHeight as
 * width/height then, and re-tag the output with VideoEncoder's `rotation` option.
 *
 * Frame rate: with `fps` set (a number or an exact fraction such as "30000/1001"), frames come out
 * on a constant grid at that rate, duplicated or dropped as needed; the pipeline always passes the
 * probed `frameRate`, which is the average rate for variable-frame-rate inputs (one shared clip
 * says r_frame_rate 30/1 but averages 1350/61 ≈ 22.13 fps). Without `fps`, every decoded frame is
 * passed through and `time` is only nominal (index / nominalFps).
 */
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { ffInputPath, parseFraction } from './probe.js';
import { inputGuardArgs } from './guard.js';
import { lastErrorLine } from './run.js';
import { readFixedChunks } from './pipe-chunks.js';
import type { BufferPool } from './buffer-pool.js';
import type { Rect, RgbFrame, VideoFrame, YuvFormat, YuvFrame, YuvMatrix } from './types.js';
import { frameBytes } from './yuv.js';

export interface DecodeVideoOptions {
  /** Output frames on this constant rate grid (drops/duplicates as needed); omit to keep every decoded frame. A fraction string ("30000/1001") is exact. */
  fps?: number | string;
  /** Keep the coded orientation (do not apply the rotation tag); width/height are then the coded size. */
  noAutorotate?: boolean;
  /** Convert only this region of each (display-oriented) frame. */
  region?: Rect;
  /** Scale the (possibly cropped) frame to this size. */
  scaleTo?: { width: number; height: number };
  /** Source display size: needed to know the output size when neither region nor scaleTo is given. */
  width: number;
  height: number;
  /** Stop after this many frames. */
  maxFrames?: number;
  /** Start at this time (seconds). */
  startTime?: number;
  /**
   * Start at this decoded frame (exact: frames before it are decoded and dropped, so indices match
   * a decode from the start). Yielded indices count from this frame.
   */
  firstFrame?: number;
  /** Kill ffmpeg when no bytes arrive for this long (a stuck decoder must not hang the engine). */
  stallTimeoutMs?: number;
  /** For frame times when fps is not given. */
  nominalFps?: number;
  /**
   * Exact YUV→RGB conversion (accurate rounding, full chroma interpolation): with the encoder's
   * matching conversion, an untouched pixel survives the RGB round trip almost bit-exactly (~70 dB
   * instead of ~48 dB). Costs a few ms per 1080p frame; the face stage does not need it.
   */
  exact?: boolean;
  /**
   * Yield planes (of `yuvFormat`) instead of RGB, tagged with this matrix (see yuv.ts). For an
   * input in that format the planes are the decoder's own samples: no conversion at all.
   */
  yuv420p?: YuvMatrix;
  /** The planes' layout and depth with `yuv420p`: 'yuv420p' (8-bit 4:2:0, default) or a deeper one (types.ts YuvFormat). */
  yuvFormat?: YuvFormat;
  /** Frame buffers come from this pool when their size matches (the consumer gives them back). */
  pool?: BufferPool;
}

export function decodedFrameSize(opts: DecodeVideoOptions): { width: number; height: number } {
  if (opts.scaleTo) return opts.scaleTo;
  if (opts.region) return { width: opts.region.width, height: opts.region.height };
  return { width: opts.width, height: opts.height };
}

/** Bytes of one decoded frame: rgb24, or planes of `yuvFormat` when `yuv420p` is set. */
export function decodedFrameBytes(opts: DecodeVideoOptions): number {
  const { width, height } = decodedFrameSize(opts);
  return frameBytes(opts.yuv420p ? opts.yuvFormat ?? 'yuv420p' : 'rgb24', width, height);
}

export function videoFilter(opts: DecodeVideoOptions): string[] {
  const f: string[] = [];
  if (opts.fps) f.push(`fps=${opts.fps}`);
  if (opts.firstFrame) f.push(`select=gte(n\\,${Math.floor(opts.firstFrame)})`);
  if (opts.region) {
    const r = opts.region;
    f.push(`crop=${r.width}:${r.height}:${r.x}:${r.y}`);
  }
  if (opts.scaleTo) f.push(`scale=${opts.scaleTo.width}:${opts.scaleTo.height}:flags=bilinear`);
  return f;
}

export function decodeVideoFrames(path: string, opts: DecodeVideoOptions & { yuv420p: YuvMatrix }): AsyncGenerator<YuvFrame>;
export function decodeVideoFrames(path: string, opts: DecodeVideoOptions & { yuv420p?: undefined }): AsyncGenerator<RgbFrame>;
export function decodeVideoFrames(path: string, opts: DecodeVideoOptions): AsyncGenerator<VideoFrame>;
export async function* decodeVideoFrames(path: string, opts: DecodeVideoOptions): AsyncGenerator<VideoFrame> {
  const { ffmpeg } = mediaTools();
  const { width, height } = decodedFrameSize(opts);
  const yuv = opts.yuv420p;
  const format = opts.yuvFormat ?? 'yuv420p';
  const bytes = decodedFrameBytes(opts);
  const args = ['-hide_banner', '-nostdin', '-v', 'error', ...inputGuardArgs(path)];
  if (opts.noAutorotate) args.push('-noautorotate');
  if (opts.startTime) args.push('-ss', String(opts.startTime));
  args.push('-i', ffInputPath(path), '-an', '-sn', '-dn');
  const vf = videoFilter(opts);
  if (vf.length) args.push('-vf', vf.join(','));
  if (!opts.fps) args.push('-vsync', 'passthrough');
  if (opts.maxFrames) args.push('-frames:v', String(opts.maxFrames));
  if (opts.exact) args.push('-sws_flags', 'bilinear+accurate_rnd+full_chroma_int');
  args.push('-f', 'rawvideo', '-pix_fmt', yuv ? format : 'rgb24', 'pipe:1');

  const rate = (opts.fps !== undefined ? parseFraction(String(opts.fps)) : 0) || opts.nominalFps || 25;
  const firstIndex = opts.firstFrame ? Math.floor(opts.firstFrame) : 0;
  let index = firstIndex;
  const chunks = readFixedChunks(ffmpeg, args, bytes, { stallTimeoutMs: opts.stallTimeoutMs, pool: opts.pool });
  try {
    for (;;) {
      const r = await chunks.next();
      if (r.done) {
        const { code, stalled, stderr } = r.value;
        if (stalled) throw new ResyncError('generation_input_timeout', 'video decoding stalled');
        if (code !== 0 && index === firstIndex) {
          throw new ResyncError('generation_input_video_invalid', `video could not be decoded: ${lastErrorLine(stderr)}`);
        }
        return;
      }
      const time = index / rate;
      yield yuv ? { format, index, time, width, height, data: r.value, matrix: yuv } : { index, time, width, height, data: r.value };
      index++;
    }
  } finally {
    // a consumer that stops early ends the reader, which kills ffmpeg
    await chunks.return(undefined as never);
  }
}
