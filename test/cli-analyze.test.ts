/**
 * `resync analyze` end to end through the real binary: a clip made from a face photo shipped in
 * the @vladmandic/human package, JSON progress, the track file, the overlay video, and the
 * exit codes and messages for bad input.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mediaTools } from '../src/engine/media/tools.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { parseTrack } from '../src/engine/face/track-io.js';

const require = createRequire(import.meta.url);
const photo = join(dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'screenshot-faceid.jpg');
const bin = fileURLToPath(new URL('../../bin/resync.js', import.meta.url));
let dir = '';
let clip = '';

function resync(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'resync-cli-'));
  clip = join(dir, 'face.mp4');
  const { ffmpeg } = mediaTools();
  execFileSync(ffmpeg, ['-v', 'error', '-y', '-loop', '1', '-framerate', '25', '-i', photo, '-f', 'lavfi', '-i', 'sine=frequency=220:duration=1.2',
    '-t', '1.2', '-vf', "crop=200:240:'10+10*sin(2*PI*t)':80,scale=400:480", '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
});

after(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

test('analyze writes a track file and an overlay video, with JSON progress', async () => {
  const out = join(dir, 'track.json');
  const overlay = join(dir, 'overlay.mp4');
  const r = resync(['analyze', clip, '--out', out, '--overlay', overlay, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const progress = r.stderr.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(progress.some((p) => p.type === 'progress' && p.done > 0), 'progress lines');
  assert.ok(progress.some((p) => p.type === 'stage' && p.stage === 'overlay'));
  const result = JSON.parse(r.stdout.trim().split('\n').pop()!);
  assert.equal(result.type, 'result');
  assert.equal(result.frames, 30);
  assert.ok(result.framesWithFace >= 28, `face in ${result.framesWithFace} frames`);
  const doc = parseTrack(await readFile(out, 'utf8'));
  assert.equal(doc.format, 'resync.track');
  assert.equal(doc.frames.length, 30);
  assert.equal(doc.source.path, clip);
  const info = await probeMedia(overlay);
  assert.equal(info.video?.width, 400);
  assert.equal(info.video?.height, 480);
  assert.equal(info.video?.frameCount, 30);
  assert.ok(info.audio, 'overlay keeps the sound');
});

test('analyze reports bad input with a stable error code and exit status 1', async () => {
  const missing = resync(['analyze', join(dir, 'nope.mp4')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /generation_input_video_inaccessible/);
  const audioOnly = join(dir, 'tone.m4a');
  execFileSync(mediaTools().ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=duration=0.5', '-c:a', 'aac', audioOnly]);
  const r = resync(['analyze', audioOnly]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /generation_input_video_invalid/);
  assert.match(r.stderr, /audio-only/);
});

test('analyze refuses bad usage with exit status 2', () => {
  assert.equal(resync(['analyze']).code, 2);
  assert.equal(resync(['analyze', clip, '--bogus']).code, 2);
  assert.match(resync(['analyze', clip, '--speaker', 'left']).stderr, /--speaker must look like/);
  assert.equal(resync(['nonsense']).code, 2);
});
