/**
 * Generated media for the media-layer tests: tiny clips made with ffmpeg's lavfi sources in a temp
 * directory, so the tests need no shared data and no network.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mediaTools } from '../src/engine/media/tools.js';
import { runProcess } from '../src/engine/media/run.js';
import assert from 'node:assert/strict';
import { isResyncError, type ErrorCode } from '../src/engine/errors.js';

export async function makeTempDir(prefix = 'resync-media-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Runs ffmpeg with the given arguments (lavfi allowed: these are our own fixtures) and fails loudly. */
export async function ffmpeg(args: string[]): Promise<void> {
  const res = await runProcess(mediaTools().ffmpeg, ['-hide_banner', '-nostdin', '-v', 'error', '-y', ...args], { timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`fixture ffmpeg failed (${res.code}): ${res.stderr.slice(-2000)}\nargs: ${args.join(' ')}`);
}

export interface ClipSpec {
  width?: number;
  height?: number;
  /** lavfi rate, e.g. "30000/1001". */
  rate?: string;
  seconds?: number;
  /** Add a 440 Hz sine track. */
  audio?: boolean;
  /** lavfi video source; default testsrc2. */
  source?: string;
  faststart?: boolean;
  /** Default yuv420p; odd sizes need yuv444p (and the testsrc source: testsrc2 rounds to even). */
  pixFmt?: string;
  extra?: string[];
}

/** An H.264 (+AAC) mp4 from lavfi sources. */
export async function makeClip(path: string, spec: ClipSpec = {}): Promise<string> {
  const w = spec.width ?? 160;
  const h = spec.height ?? 120;
  const rate = spec.rate ?? '25';
  const secs = spec.seconds ?? 1;
  const src = spec.source ?? 'testsrc2';
  const args = ['-f', 'lavfi', '-i', `${src}${src.includes('=') ? ':' : '='}s=${w}x${h}:r=${rate}`];
  if (spec.audio) args.push('-f', 'lavfi', '-i', 'sine=f=440:r=48000');
  args.push('-t', String(secs), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', spec.pixFmt ?? 'yuv420p');
  if (spec.audio) args.push('-c:a', 'aac', '-b:a', '96k');
  if (spec.faststart) args.push('-movflags', '+faststart');
  args.push(...(spec.extra ?? []), path);
  await ffmpeg(args);
  return path;
}

/** A 440 Hz sine (lavfi amplitude 1/8) as a wav file. */
export async function makeSine(path: string, seconds = 1, sampleRate = 48000, freq = 440): Promise<string> {
  await ffmpeg(['-f', 'lavfi', '-i', `sine=f=${freq}:r=${sampleRate}`, '-t', String(seconds), '-c:a', 'pcm_s16le', path]);
  return path;
}

/** Zero crossings per second / 2: a rough frequency estimate for a clean tone. */
export function estimateFrequency(samples: Float32Array, sampleRate: number): number {
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if ((samples[i - 1] < 0) !== (samples[i] < 0)) crossings++;
  return crossings / 2 / (samples.length / sampleRate);
}

export function rms(samples: Float32Array): number {
  let s = 0;
  for (const v of samples) s += v * v;
  return Math.sqrt(s / samples.length);
}

/** Mean of each channel over a region of an rgb24 frame. */
export function meanRgb(data: Uint8Array, width: number, x0 = 0, y0 = 0, w = width, h = data.length / 3 / width): [number, number, number] {
  const sum = [0, 0, 0];
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      const o = (y * width + x) * 3;
      sum[0] += data[o];
      sum[1] += data[o + 1];
      sum[2] += data[o + 2];
    }
  }
  const n = w * h;
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Asserts a ResyncError with `code` whose message matches `message`. */
export async function rejectsWith(p: Promise<unknown>, code: ErrorCode, message?: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isResyncError(e), `expected a ResyncError, got ${String(e)}`);
    assert.equal(e.code, code, `code for "${e.message}"`);
    if (message) assert.match(e.message, message);
    return true;
  });
}
