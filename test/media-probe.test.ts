import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { probeMedia } from '../src/engine/media/probe.js';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { makeTempDir, makeClip, ffmpeg, collect } from './media-fixtures.js';
import { findSharedData } from '../bench/shared-data.js';

let dir = '';
let remove: () => Promise<void> = async () => {};

before(async () => {
  ({ dir, remove } = await makeTempDir());
});
after(() => remove());

test('probe: size, exact NTSC rate, duration, frame count and audio of a generated clip', async () => {
  const p = await makeClip(join(dir, 'ntsc.mp4'), { width: 160, height: 120, rate: '30000/1001', seconds: 2, audio: true });
  const info = await probeMedia(p);
  const v = info.video!;
  assert.equal(v.width, 160);
  assert.equal(v.height, 120);
  assert.equal(v.frameRate, '30000/1001');
  assert.ok(Math.abs(v.fps - 29.97) < 0.01, `fps ${v.fps}`);
  assert.equal(v.variableFrameRate, false);
  assert.equal(v.frameCount, 60);
  assert.equal(v.codec, 'h264');
  assert.equal(v.rotation, 0);
  assert.ok(Math.abs(info.duration - 2) < 0.1, `duration ${info.duration}`);
  assert.equal(info.audio?.codec, 'aac');
  assert.equal(info.audio?.sampleRate, 48000);
  assert.equal(info.isStillImage, false);
  assert.equal(info.truncated, false);
});

test('probe: a clip without audio reports no audio stream', async () => {
  const p = await makeClip(join(dir, 'silent.mp4'), { rate: '25' });
  const info = await probeMedia(p);
  assert.equal(info.audio, undefined);
  assert.equal(info.video?.frameRate, '25/1');
});

test('probe: rotation tag gives display size and clockwise degrees', async () => {
  const src = await makeClip(join(dir, 'landscape.mp4'), { width: 160, height: 120 });
  // ffmpeg 4.1 only keeps a rotate tag on stream copy, and writes it inverted (see mp4-rotation.ts):
  // rotate=270 here is read back as 90° clockwise by both ffmpeg 4.1 and ffprobe 6.
  const rotated = join(dir, 'rotated.mp4');
  await ffmpeg(['-i', src, '-c', 'copy', '-metadata:s:v:0', 'rotate=270', rotated]);
  const info = await probeMedia(rotated);
  assert.equal(info.video!.rotation, 90);
  assert.equal(info.video!.width, 120);
  assert.equal(info.video!.height, 160);
  assert.equal(info.video!.codedWidth, 160);
  assert.equal(info.video!.codedHeight, 120);
});

test('probe + decode: a variable-frame-rate clip is processed on a constant grid at its average rate', async () => {
  // 30 fps for the first second, then every third frame: r_frame_rate 30/1, average ~20.7 fps.
  const p = join(dir, 'vfr.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=s=64x48:r=30', '-t', '2', '-vf', "select='lt(n\\,30)+not(mod(n\\,3))'", '-vsync', 'vfr', '-c:v', 'libx264', '-preset', 'ultrafast', p]);
  const info = await probeMedia(p);
  const v = info.video!;
  assert.equal(v.rFrameRate, '30/1');
  assert.equal(v.variableFrameRate, true);
  assert.equal(v.frameRate, v.avgFrameRate);
  assert.ok(v.fps > 18 && v.fps < 23, `fps ${v.fps}`);
  const frames = await collect(decodeVideoFrames(p, { width: v.width, height: v.height, fps: v.frameRate }));
  // On the constant grid the frame count follows duration × average rate (≈ 40), not 30 fps × 2 s.
  assert.ok(Math.abs(frames.length - info.duration * v.fps) <= 2, `${frames.length} frames for ${info.duration}s at ${v.fps}`);
  assert.ok(Math.abs(frames[10].time - 10 / v.fps) < 1e-9);
});

test('probe: an mp4 whose data was cut off is flagged truncated', async () => {
  const p = await makeClip(join(dir, 'fs.mp4'), { seconds: 2, faststart: true, audio: true });
  const { readFile, writeFile } = await import('node:fs/promises');
  const bytes = await readFile(p);
  const cut = join(dir, 'fs-cut.mp4');
  await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length * 0.3)));
  const info = await probeMedia(cut);
  assert.equal(info.truncated, true);
  assert.equal((await probeMedia(p)).truncated, false);
  // PCM in AIFF/MOV declares samples, not packets: not a truncation.
  const aiff = join(dir, 'tone.aiff');
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-t', '1', aiff]);
  const mov = join(dir, 'pcm.mov');
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=f=440:r=44100', '-t', '1', '-c:a', 'pcm_s16le', mov]);
  assert.equal((await probeMedia(aiff, { role: 'audio' })).truncated, false);
  assert.equal((await probeMedia(mov, { role: 'audio' })).truncated, false);
});

const SHARED_VFR = join(findSharedData() ?? '/nonexistent', 'raw/OpenTalker__video-retalking/1.mp4');
test('probe: the shared VFR clip (r_frame_rate 30/1, average ~22.13) uses its average rate', { skip: existsSync(SHARED_VFR) ? false : `shared clip not present: ${SHARED_VFR}` }, async () => {
  const info = await probeMedia(SHARED_VFR);
  assert.equal(info.video!.variableFrameRate, true);
  assert.equal(info.video!.frameRate, info.video!.avgFrameRate);
  assert.ok(Math.abs(info.video!.fps - 22.13) < 0.05, `fps ${info.video!.fps}`);
});
