/**
 * The front door for user inputs: resolve (local path or URL), look at the first bytes, probe,
 * check what the engine needs, and decode a little to prove the stream really decodes (a header
 * can be intact while the codec is unsupported or the data is garbage). Every failure is a
 * ResyncError with a stable code; every child process has a time limit.
 */
import { open } from 'node:fs/promises';
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { runProcess, lastErrorLine } from './run.js';
import { inputGuardArgs } from './guard.js';
import { probeMedia, ffInputPath } from './probe.js';
import { resolveInput, errorCodes, type InputRole, type ResolveInputOptions, type ResolvedInput } from './input.js';
import { sniffContent, SNIFF_BYTES } from './sniff.js';
import type { MediaInfo } from './types.js';

export interface OpenInputOptions extends ResolveInputOptions {
  /** Video role: accept a single still image (sync-3 accepts image input). Default false. */
  allowImage?: boolean;
  /** ffprobe time limit. Default 60 s. */
  probeTimeoutMs?: number;
  /** Time limit for the trial decode. Default 30 s. */
  decodeTimeoutMs?: number;
  /** Smallest accepted display width/height. Default 16. */
  minDimension?: number;
  /** Largest accepted display width/height: 4096 admits 4K UHD (3840×2160), DCI 4K (4096×2160) and portrait 2160×3840. */
  maxDimension?: number;
}

export interface OpenedInput {
  /** Local path to hand to the decoders (a temp file for URL inputs). */
  path: string;
  source: string;
  fetched: boolean;
  info: MediaInfo;
  /** Removes a fetched temp file; a no-op for local inputs. Call when the job is done. */
  cleanup(): Promise<void>;
}

export const DEFAULT_MIN_DIMENSION = 16;
export const DEFAULT_MAX_DIMENSION = 4096;

export function openVideoInput(pathOrUrl: string, opts: OpenInputOptions = {}): Promise<OpenedInput> {
  return openInput(pathOrUrl, 'video', opts);
}

export function openAudioInput(pathOrUrl: string, opts: OpenInputOptions = {}): Promise<OpenedInput> {
  return openInput(pathOrUrl, 'audio', opts);
}

async function openInput(pathOrUrl: string, role: InputRole, opts: OpenInputOptions): Promise<OpenedInput> {
  const resolved = await resolveInput(pathOrUrl, role, opts);
  try {
    const info = await checkInput(resolved, role, opts);
    return { path: resolved.path, source: resolved.source, fetched: resolved.fetched, info, cleanup: resolved.cleanup };
  } catch (e) {
    await resolved.cleanup();
    if (e instanceof ResyncError) throw e;
    throw new ResyncError('generation_internal_error', `checking the ${role} input failed unexpectedly: ${(e as Error)?.message ?? String(e)}`, { cause: e });
  }
}

async function checkInput(input: ResolvedInput, role: InputRole, opts: OpenInputOptions): Promise<MediaInfo> {
  const { invalid } = errorCodes(role);
  if (input.sizeBytes === 0) throw new ResyncError(invalid, `${role} input is empty (0 bytes)`);
  await refuseTextInput(input.path, role);
  const info = await probeMedia(input.path, { role, timeoutMs: opts.probeTimeoutMs });
  if (info.truncated) {
    throw new ResyncError(invalid, `${role} input is truncated: the file ends before the data its index describes (an incomplete upload or download?)`);
  }
  if (role === 'video') {
    const v = info.video;
    if (!v) {
      const what = info.audio ? 'it is audio-only' : 'it has no streams ffmpeg can use';
      throw new ResyncError(invalid, `video input has no video stream (${what})`);
    }
    if (info.isStillImage && !opts.allowImage) {
      throw new ResyncError(invalid, 'video input is a still image; still images are accepted only when allowImage is set');
    }
    const min = opts.minDimension ?? DEFAULT_MIN_DIMENSION;
    const max = opts.maxDimension ?? DEFAULT_MAX_DIMENSION;
    if (v.width < min || v.height < min || v.width > max || v.height > max) {
      throw new ResyncError(
        'generation_input_resolution_unsupported',
        `video is ${v.width}×${v.height}; width and height must each be between ${min} and ${max} pixels`,
      );
    }
    await trialDecodeVideo(input.path, opts);
  } else {
    if (!info.audio) {
      const what = info.video ? 'it has only video' : 'it has no streams ffmpeg can use';
      throw new ResyncError(invalid, `audio input has no audio stream (${what})`);
    }
    await trialDecodeAudio(input.path, opts);
  }
  return info;
}

/** Text that could only be a playlist, a file list or an error page is refused before ffprobe opens it. */
async function refuseTextInput(path: string, role: InputRole): Promise<void> {
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    head = buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  const s = sniffContent(head);
  const { invalid } = errorCodes(role);
  if (s.kind === 'playlist') throw new ResyncError(invalid, `${role} input is ${s.what}; playlists and lists of other files are refused`);
  if (s.kind === 'text') throw new ResyncError(invalid, `${role} input is ${s.what}, not media`);
}

/**
 * Decodes the first video frame (reading at most the first 10 s of the input) to a tiny grey
 * image: proves the codec is supported and the data decodes, at the cost of one frame.
 */
async function trialDecodeVideo(path: string, opts: OpenInputOptions): Promise<void> {
  const res = await runProcess(
    mediaTools().ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', ...inputGuardArgs(path), '-t', '10', '-i', ffInputPath(path),
      '-map', '0:V:0', '-frames:v', '1', '-vf', 'scale=16:16', '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1'],
    { timeoutMs: opts.decodeTimeoutMs ?? 30_000, maxStdout: 1 << 16 },
  );
  if (res.timedOut) throw new ResyncError('generation_input_timeout', 'decoding the first video frame took too long');
  if (res.stdout.length < 256) {
    throw new ResyncError('generation_input_video_invalid', `video stream does not decode (unsupported codec or corrupt data): ${conciseError(res.stderr)}`);
  }
}

/** Decodes up to the first second of audio: proves the audio codec is supported and the data decodes. */
async function trialDecodeAudio(path: string, opts: OpenInputOptions): Promise<void> {
  const res = await runProcess(
    mediaTools().ffmpeg,
    ['-hide_banner', '-nostdin', '-v', 'error', ...inputGuardArgs(path), '-t', '10', '-i', ffInputPath(path),
      '-map', '0:a:0', '-t', '1', '-ac', '1', '-ar', '8000', '-f', 'f32le', 'pipe:1'],
    { timeoutMs: opts.decodeTimeoutMs ?? 30_000, maxStdout: 1 << 20 },
  );
  if (res.timedOut) throw new ResyncError('generation_input_timeout', 'decoding the audio took too long');
  if (res.stdout.length === 0) {
    throw new ResyncError('generation_input_audio_invalid', `audio stream does not decode (unsupported codec or corrupt data): ${conciseError(res.stderr)}`);
  }
}

/** The decoder's complaint without thousands of repeated lines. */
function conciseError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const notFound = lines.find((l) => /decoder .*not found|unknown codec|could not find codec/i.test(l));
  return notFound ?? (lastErrorLine(stderr) || 'no frame could be decoded');
}
