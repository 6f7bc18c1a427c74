/**
 * Plain ffmpeg reference timings measured in the same run as the thing being benchmarked:
 * this machine is shared and noisy, so speed is reported as a ratio to these, not in seconds alone.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mediaTools } from '../src/engine/media/tools.js';
import { runProcess } from '../src/engine/media/run.js';

async function timed(args: string[]): Promise<number> {
  const { ffmpeg } = mediaTools();
  const t = performance.now();
  const r = await runProcess(ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', ...args], { timeoutMs: 30 * 60_000 });
  if (r.code !== 0) throw new Error(`ffmpeg baseline failed: ${r.stderr.slice(-300)}`);
  return (performance.now() - t) / 1000;
}

/** Runs ffmpeg to prepare a benchmark's inputs (overwriting the output; not timed). */
export async function ff(args: string[]): Promise<void> {
  const r = await runProcess(mediaTools().ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 10 * 60_000 });
  if (r.code !== 0) throw new Error(`ffmpeg: ${r.stderr.slice(-300)}`);
}

/** Seconds to decode every frame of the clip to raw RGB (what analysis must do at least). */
export function plainDecodeSeconds(path: string): Promise<number> {
  return timed(['-i', path, '-an', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-y', '/dev/null']);
}

/**
 * The 3840×2160 copy of a clip that bench generate and bench memory share (the shared data has no
 * 4K clip; upscaled, it shows speed, memory and that the whole path works at 4K, not 4K detail),
 * made once into the cache folder as <short>_2160p.mp4.
 */
export async function uhdCopy(cacheDir: string, path: string, short: string): Promise<string> {
  const out = join(cacheDir, `${short}_2160p.mp4`);
  return existsSync(out) ? out : scaledCopy(path, out, 3840, 2160);
}

/**
 * A 10-bit HEVC copy of a clip tagged as HLG HDR (BT.2020), as a phone records it: the derived
 * case that exercises 10-bit generation (the shared data has no 10-bit footage). Cached.
 */
export async function tenBitCopy(cacheDir: string, path: string, short: string): Promise<string> {
  const out = join(cacheDir, `${short}_10bit_hlg.mp4`);
  if (existsSync(out)) return out;
  await timed(['-i', path, '-vf', 'format=yuv420p10le', '-c:v', 'libx265', '-preset', 'veryfast', '-crf', '16', '-x265-params', 'log-level=error', '-tag:v', 'hvc1',
    '-color_primaries', 'bt2020', '-color_trc', 'arib-std-b67', '-colorspace', 'bt2020nc', '-c:a', 'copy', '-y', out]);
  return out;
}

/** Makes a scaled copy of a clip (e.g. a 1280×720 version of a 1080p clip) in a cache folder. */
export async function scaledCopy(path: string, out: string, width: number, height: number): Promise<string> {
  await timed(['-i', path, '-vf', `scale=${width}:${height}`, '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '16', '-c:a', 'copy', '-y', out]);
  return out;
}
