/**
 * Plain ffmpeg transcode with the same output settings as VideoEncoder (libx264 at DEFAULT_CRF, yuv420p,
 * or for a deeper `format` the encoder's HEVC settings; AAC, +faststart, colour tags kept by ffmpeg). Benchmarks use it as the "plain ffmpeg transcode"
 * baseline: the cost of decoding and re-encoding the clip with no lip-sync work at all.
 * Odd sizes are padded to even here with a black edge (ffmpeg's pad filter), a cheaper stand-in for
 * VideoEncoder's edge repeat that costs the same to encode.
 */
import { rename, rm } from 'node:fs/promises';
import { ResyncError } from '../errors.js';
import { mediaTools } from './tools.js';
import { runProcess, lastErrorLine } from './run.js';
import { inputGuardArgs } from './guard.js';
import { ffInputPath } from './probe.js';
import { videoCodecArgs, DEFAULT_CRF, DEFAULT_PRESET, type X264Preset } from './encode-args.js';
import type { YuvFormat } from './types.js';

export interface TranscodeOptions {
  crf?: number;
  threads?: number;
  /** Encode as the frame encoder encodes frames of this layout (encode-args.ts videoCodecArgs); default 8-bit H.264. */
  format?: YuvFormat;
  /** Default 30 min. */
  timeoutMs?: number;
}

export async function transcode(input: string, output: string, preset: X264Preset = DEFAULT_PRESET, opts: TranscodeOptions = {}): Promise<void> {
  const partial = `${output}.partial`;
  const res = await runProcess(
    mediaTools().ffmpeg,
    [
      '-hide_banner', '-nostdin', '-v', 'error', '-y',
      ...inputGuardArgs(input), '-i', ffInputPath(input),
      '-map', '0:v:0', '-map', '0:a:0?',
      '-vf', 'pad=ceil(iw/2)*2:ceil(ih/2)*2',
      ...videoCodecArgs(opts.format ?? 'yuv420p', preset, opts.crf ?? DEFAULT_CRF, opts.threads),
      '-c:a', 'aac', '-b:a', '192k',
      '-movflags', '+faststart', '-f', 'mp4', partial,
    ],
    { timeoutMs: opts.timeoutMs ?? 30 * 60_000, maxStdout: 1 << 16 },
  );
  if (res.timedOut || res.code !== 0) {
    await rm(partial, { force: true });
    const why = res.timedOut ? 'took too long' : `failed: ${lastErrorLine(res.stderr)}`;
    throw new ResyncError('generation_internal_error', `transcode of ${input} ${why}`);
  }
  await rename(partial, output);
}
