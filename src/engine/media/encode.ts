/**
 * Writes the output MP4 from RGB or 4:2:0 frames handed over one at a time: H.264 (libx264, yuv420p,
 * DEFAULT_PRESET at DEFAULT_CRF unless asked otherwise), or for 10-bit planes HEVC Main 10
 * (libx265, tagged hvc1 so Apple's players open it; encode-args.ts videoCodecArgs), or for deeper 4:2:2/4:4:4 planes
 * HEVC in that format, the input's frame rate as an exact fraction, the input's colour description,
 * an AAC audio track muxed from a file or from float PCM, and +faststart so the file plays while
 * downloading.
 *
 * Memory stays flat: write() waits for ffmpeg's stdin to drain when the pipe is full, so a slow
 * encoder slows the producer instead of queueing frames.
 *
 * Odd sizes: yuv420p (and so H.264 4:2:0) needs even width and height. An odd-sized frame is
 * padded by one column and/or row that repeats the last column/row (not black), so the output is
 * the next even size, shows no border, and loses no pixel. `outputWidth/outputHeight` report it.
 *
 * Rotation: the pipeline decodes display-oriented (upright) frames, so by default the output has
 * no rotation tag and plays upright everywhere. A caller that decoded with `noAutorotate` passes
 * `rotation` (clockwise degrees, as in VideoStreamInfo.rotation) and it is written back into the
 * track header after encoding (mp4-rotation.ts; ffmpeg 4.1 drops the tag when encoding).
 *
 * The file is written as "<output>.partial" and renamed on success, so a failed or aborted encode
 * never leaves a half-written file at the output path.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm, rename, writeFile } from 'node:fs/promises';
import { makeTempDir } from '../temp-dirs.js';
import { join } from 'node:path';
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { lastErrorLine } from './run.js';
import { inputGuardArgs } from './guard.js';
import { ffInputPath, parseFraction } from './probe.js';
import { setMp4Rotation } from './mp4-rotation.js';
import { colorTagArgs, rgbToYuvFilter, videoCodecArgs, DEFAULT_PRESET, DEFAULT_CRF, type ColorInfo, type X264Preset } from './encode-args.js';
import type { VideoFrame, YuvFormat } from './types.js';
import { frameBytes, padYuvToEven } from './yuv.js';
import { BufferPool } from './buffer-pool.js';

export type AudioSource =
  /** A media file whose first audio stream is used (optionally a window of it). */
  | { path: string; startTime?: number; duration?: number }
  /** Mono float PCM in [-1, 1]. */
  | { pcm: Float32Array; sampleRate: number };

export interface VideoEncoderOptions {
  output: string;
  /** Size of the frames that will be written. */
  width: number;
  height: number;
  /** Exact fraction where known ("30000/1001"), e.g. VideoStreamInfo.frameRate. */
  frameRate: string | number;
  /** Default DEFAULT_PRESET ('veryfast'). */
  preset?: X264Preset;
  /** Default DEFAULT_CRF (15: visually lossless for talking heads). */
  crf?: number;
  threads?: number;
  audio?: AudioSource;
  /** AAC bitrate. Default '192k'. */
  audioBitrate?: string;
  /** Copied from the input's VideoStreamInfo; also selects the RGB→YUV matrix and range. */
  color?: ColorInfo;
  /** Clockwise degrees to tag (only for frames decoded with noAutorotate). */
  rotation?: number;
  /** End the file with the shorter of video and audio. Default false (audio longer than video is kept). */
  shortest?: boolean;
  /**
   * Layout of the frames written: 'rgb24' (default) is converted with the colour's matrix and
   * range; 'yuv420p' planes (yuv.ts) go to x264 as they are, so untouched bytes are kept exactly;
   * deeper planes ('yuv420p10le', 'yuv422p10le', ...) go to x265 as they are (HEVC: H.264's 10-bit
   * profile plays almost nowhere, HEVC Main 10 is what phones record HDR in and what their players
   * decode; 4:2:2 and 12-bit keep their format in HEVC's range extensions).
   */
  inputFormat?: 'rgb24' | YuvFormat;
  /** Fail when ffmpeg accepts no data for this long. Default 120 s. */
  stallTimeoutMs?: number;
  /**
   * Frames that may wait in the pipe for ffmpeg to read them (default 3). Why more than one: x264
   * takes frames in bursts (frame threads, lookahead), and a producer that waited for every frame to
   * be read left both sides idle in turn; a few queued frames let rendering and encoding overlap.
   * Memory: this many frames (36 MB at 4K).
   */
  queueFrames?: number;
  /** Limit for finishing (flushing the encoder and the faststart rewrite). Default 10 min. */
  finishTimeoutMs?: number;
}

export interface EncodeResult {
  path: string;
  frames: number;
  width: number;
  height: number;
  /** True when an odd size was padded to even. */
  padded: boolean;
}

export class VideoEncoder {
  readonly outputWidth: number;
  readonly outputHeight: number;
  /** The layout and byte size every written frame must have. */
  private readonly layout: 'rgb24' | YuvFormat;
  private readonly bytesPerFrame: number;
  private frames = 0;
  /** One promise per written frame that ffmpeg has not read yet, oldest first. */
  private readonly unread: Array<Promise<'read' | 'failed'>> = [];
  /** The (even-sized) copies handed to the pipe, reused once ffmpeg has read them. */
  private readonly copies: BufferPool;
  private state: 'open' | 'finishing' | 'done' | 'aborted' = 'open';
  private stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private hasExited = false;
  /** The wait of the write in progress, ended early if ffmpeg exits (see waitForRead). */
  private onExit: (() => void) | null = null;
  private readonly partial: string;

  private constructor(
    private readonly opts: VideoEncoderOptions,
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly tempDir: string | undefined,
  ) {
    this.outputWidth = opts.width + (opts.width % 2);
    this.outputHeight = opts.height + (opts.height % 2);
    this.layout = opts.inputFormat ?? 'rgb24';
    this.bytesPerFrame = frameBytes(this.layout, opts.width, opts.height);
    this.copies = new BufferPool(frameBytes(this.layout, this.outputWidth, this.outputHeight), Math.max(1, opts.queueFrames ?? 3) + 2);
    this.partial = `${opts.output}.partial`;
    child.stderr.on('data', (b: Buffer) => {
      if (this.stderr.length < 64 * 1024) this.stderr += b.toString();
    });
    // EPIPE when ffmpeg dies mid-write is reported through exit status, not as a crash.
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => {
      child.on('error', (e) => {
        this.stderr += `\n${e.message}`;
        resolve({ code: -1, signal: null });
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
    });
    void this.exited.then(() => {
      this.hasExited = true;
      this.onExit?.();
    });
  }

  /** Starts ffmpeg (and writes PCM audio to a temp file first when given as samples). */
  static async open(opts: VideoEncoderOptions): Promise<VideoEncoder> {
    const { width, height } = opts;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 2 || height < 2) {
      throw new ResyncError('invalid_argument', `encoder frame size ${width}×${height} is not valid`);
    }
    const rate = parseFraction(String(opts.frameRate));
    if (!(rate > 0)) throw new ResyncError('invalid_argument', `encoder frame rate "${opts.frameRate}" is not valid`);
    let tempDir: string | undefined;
    const audioArgs: string[] = [];
    if (opts.audio && 'pcm' in opts.audio) {
      tempDir = await makeTempDir('encode');
      const pcmPath = join(tempDir, 'audio.f32');
      const a = opts.audio;
      await writeFile(pcmPath, new Uint8Array(a.pcm.buffer, a.pcm.byteOffset, a.pcm.byteLength));
      audioArgs.push('-f', 'f32le', '-ar', String(a.sampleRate), '-ac', '1', '-i', pcmPath);
    } else if (opts.audio) {
      const a = opts.audio;
      audioArgs.push(...inputGuardArgs(a.path));
      if (a.startTime) audioArgs.push('-ss', String(a.startTime));
      if (a.duration !== undefined) audioArgs.push('-t', String(a.duration));
      audioArgs.push('-i', ffInputPath(a.path));
    }
    const ow = width + (width % 2);
    const oh = height + (height % 2);
    const layout = opts.inputFormat ?? 'rgb24';
    const yuv = layout !== 'rgb24';
    const args = [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', layout, '-s', `${ow}x${oh}`, '-framerate', String(opts.frameRate), '-i', 'pipe:0',
      ...audioArgs,
      '-map', '0:v:0',
      ...(opts.audio ? ['-map', '1:a:0'] : []),
      ...(yuv ? [] : ['-vf', rgbToYuvFilter(opts.color)]),
      ...videoCodecArgs(layout, opts.preset ?? DEFAULT_PRESET, opts.crf ?? DEFAULT_CRF, opts.threads),
      ...colorTagArgs(opts.color),
      ...(opts.audio ? ['-c:a', 'aac', '-b:a', opts.audioBitrate ?? '192k'] : []),
      ...(opts.shortest ? ['-shortest'] : []),
      '-movflags', '+faststart', '-f', 'mp4', `${opts.output}.partial`,
    ];
    const child = spawn(mediaTools().ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    return new VideoEncoder(opts, child, tempDir);
  }

  get framesWritten(): number {
    return this.frames;
  }

  /** Bytes handed to write() that ffmpeg has not read yet (stays within queueFrames frames). */
  get queuedBytes(): number {
    return this.child.stdin.writableLength;
  }

  /**
   * Queues one frame (the size and layout given at open). Resolves at once while fewer than
   * queueFrames frames wait to be read, otherwise when ffmpeg has read the oldest of them; rejects if
   * ffmpeg has failed. The data is copied, so the caller may reuse its buffer at once.
   */
  async write(frame: VideoFrame | Uint8Array): Promise<void> {
    if (this.state !== 'open') throw new ResyncError('invalid_argument', `encoder is ${this.state}; no more frames can be written`);
    const data = frame instanceof Uint8Array ? frame : frame.data;
    const { width, height } = this.opts;
    const { layout, bytesPerFrame } = this;
    if (!(frame instanceof Uint8Array) && (frame.width !== width || frame.height !== height)) {
      throw new ResyncError('invalid_argument', `frame is ${frame.width}×${frame.height}, encoder expects ${width}×${height}`);
    }
    if (!(frame instanceof Uint8Array) && (frame.format ?? 'rgb24') !== layout) {
      throw new ResyncError('invalid_argument', `frame is ${frame.format ?? 'rgb24'}, encoder expects ${layout}`);
    }
    if (data.length !== bytesPerFrame) {
      throw new ResyncError('invalid_argument', `frame has ${data.length} bytes, expected ${bytesPerFrame} (${layout} ${width}×${height})`);
    }
    const copy = this.copies.take();
    const buf = layout === 'rgb24' ? padToEven(data, width, height, copy) : padYuvToEven(data, width, height, copy, layout);
    this.frames++;
    // the write callback runs once ffmpeg has taken the frame off the pipe (or the write failed);
    // only then may the copy be used again
    this.unread.push(
      new Promise((resolve) =>
        this.child.stdin.write(buf, (e) => {
          if (!e) this.copies.give(buf);
          resolve(e ? 'failed' : 'read');
        }),
      ),
    );
    if (this.unread.length <= Math.max(1, this.opts.queueFrames ?? 3)) return;
    const stall = this.opts.stallTimeoutMs ?? 120_000;
    const outcome = await this.waitForRead(this.unread.shift()!, stall);
    if (outcome === 'read') return;
    if (outcome === 'stalled') {
      await this.abort();
      throw new ResyncError('generation_internal_error', `video encoder accepted no data for ${stall} ms`);
    }
    const st = await this.exited;
    await this.abort();
    throw new ResyncError('generation_internal_error', `video encoder stopped (exit ${st.code ?? st.signal}): ${lastErrorLine(this.stderr)}`);
  }

  /**
   * Waits until ffmpeg has read a frame, has exited, or has taken nothing for `stall` ms. Not a
   * Promise.race with `exited`: every race adds a reaction to that promise, which lives as long
   * as the encoder, so a long clip would keep one (with its closure and timer) per frame.
   */
  private waitForRead(read: Promise<'read' | 'failed'>, stall: number): Promise<'read' | 'failed' | 'exited' | 'stalled'> {
    return new Promise((resolve) => {
      let settled = false;
      const done = (o: 'read' | 'failed' | 'exited' | 'stalled'): void => {
        if (settled) return; // a late answer must not touch the next write's wait
        settled = true;
        clearTimeout(timer);
        this.onExit = null;
        resolve(o);
      };
      const timer = setTimeout(() => done('stalled'), stall);
      this.onExit = () => done('exited');
      if (this.hasExited) done('exited');
      void read.then(done);
    });
  }

  /** Closes the input, waits for ffmpeg, and moves the file into place. */
  async finish(): Promise<EncodeResult> {
    if (this.state !== 'open') throw new ResyncError('invalid_argument', `encoder is ${this.state}`);
    if (this.frames === 0) {
      await this.abort();
      throw new ResyncError('invalid_argument', 'no frames were written; nothing to encode');
    }
    this.state = 'finishing';
    this.child.stdin.end();
    const limit = this.opts.finishTimeoutMs ?? 10 * 60_000;
    let timer: NodeJS.Timeout | undefined;
    const st = await Promise.race([
      this.exited,
      new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), limit))),
    ]);
    clearTimeout(timer);
    if (st === 'timeout' || st.code !== 0) {
      await this.abort();
      const why = st === 'timeout' ? `did not finish within ${limit} ms` : `failed (exit ${st.code ?? st.signal}): ${lastErrorLine(this.stderr) || 'no message'}`;
      throw new ResyncError('generation_internal_error', `video encoding ${why}`);
    }
    try {
      if (this.opts.rotation) await setMp4Rotation(this.partial, this.opts.rotation);
      await rename(this.partial, this.opts.output);
    } catch (e) {
      this.state = 'aborted';
      await rm(this.partial, { force: true });
      await this.removeTemp();
      throw new ResyncError('generation_internal_error', `could not finalise ${this.opts.output}: ${(e as Error).message}`, { cause: e });
    }
    await this.removeTemp();
    this.state = 'done';
    return { path: this.opts.output, frames: this.frames, width: this.outputWidth, height: this.outputHeight, padded: this.outputWidth !== this.opts.width || this.outputHeight !== this.opts.height };
  }

  /** Stops ffmpeg and removes the partial file. Safe to call at any time, more than once. */
  async abort(): Promise<void> {
    if (this.state === 'done' || this.state === 'aborted') return;
    this.state = 'aborted';
    this.child.stdin.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
    await rm(this.partial, { force: true });
    await this.removeTemp();
  }

  private async removeTemp(): Promise<void> {
    if (this.tempDir) await rm(this.tempDir, { recursive: true, force: true });
  }
}

/**
 * A copy of the rgb24 frame, grown to even width/height by repeating the last column and row,
 * written into `out` when given (the even size's byte count).
 */
export function padToEven(data: Uint8Array, width: number, height: number, out?: Uint8Array): Uint8Array {
  const ow = width + (width % 2);
  const oh = height + (height % 2);
  out ??= new Uint8Array(ow * oh * 3);
  if (ow === width && oh === height) {
    out.set(data);
    return out;
  }
  const src = width * 3;
  const dst = ow * 3;
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(y, height - 1);
    const so = sy * src;
    const d = y * dst;
    out.set(data.subarray(so, so + src), d);
    if (ow !== width) out.copyWithin(d + src, d + src - 3, d + src);
  }
  return out;
}

// The baseline transcode lives in its own file; re-exported so encoders are found in one place.
export { transcode, type TranscodeOptions } from './transcode.js';
export { X264_PRESETS, DEFAULT_PRESET, type X264Preset, type ColorInfo } from './encode-args.js';
