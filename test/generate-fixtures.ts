/**
 * Fixtures for generation tests, made by the suite: talking-head-like clips from a face photo that
 * ships inside the @vladmandic/human package, and speech from espeak-ng (npm build) as WAV files.
 */
import { writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mediaTools } from '../src/engine/media/tools.js';
import { speech } from './audio-fixtures.js';
import { encodeWav } from '../src/engine/tts/wav.js';

const require = createRequire(import.meta.url);
export const FACE_PHOTO = join(dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'screenshot-faceid.jpg');

/** A face clip: the photo's frontal face, panning gently (so it is not a still), 400×480. */
export function faceClip(out: string, seconds: number, extraFilter = ''): string {
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-i', FACE_PHOTO, '-t', String(seconds),
    '-vf', `crop=200:240:'10+10*sin(2*PI*t/2)':'80+4*t',scale=400:480${extraFilter}`, '-c:v', 'libx264', '-crf', '12', '-pix_fmt', 'yuv420p', '-r', '25', out]);
  return out;
}

/** Mono 16-bit WAV. */
export async function writeWav(path: string, samples: Float32Array, sampleRate: number): Promise<string> {
  await writeFile(path, encodeWav(samples, sampleRate));
  return path;
}

/** Speech with silence before and after, written as WAV; returns the speech's time span too. */
export async function speechWav(path: string, text: string, lead: number, tail: number): Promise<{ path: string; duration: number; speechStart: number; speechEnd: number }> {
  const sp = await speech(text, 'en-us', lead, tail, 0.6);
  await writeWav(path, sp.samples, 16000);
  return { path, duration: sp.duration, speechStart: lead, speechEnd: sp.duration - tail };
}
