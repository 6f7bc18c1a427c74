import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { VideoEncoder, transcode, padToEven } from '../src/engine/media/encode.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { decodeAudio } from '../src/engine/media/decode-audio.js';
import { mediaTools } from '../src/engine/media/tools.js';
import { runProcess } from '../src/engine/media/run.js';
import { isResyncError } from '../src/engine/errors.js';
import { makeTempDir, makeClip, makeSine, collect, estimateFrequency } from './media-fixtures.js';
import { findSharedData } from '../bench/shared-data.js';

let dir = '';
let remove: () => Promise<void> = async () => {};
before(async () => {
  ({ dir, remove } = await makeTempDir());
});
after(() => remove());

/** A smooth, moving test picture: gradients are easy for x264 and make round-trip errors small. */
function pattern(width: number, height: number, i: number): Uint8Array {
  const d = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      d[o] = Math.round((x / (width - 1)) * 200 + 20);
      d[o + 1] = Math.round((y / (height - 1)) * 200 + 20);
      d[o + 2] = (i * 4 + 60) & 0xff;
    }
  }
  return d;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

async function ffprobeStream(path: string): Promise<Record<string, string>> {
  const res = await runProcess(mediaTools().ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,pix_fmt,color_range,color_space,color_primaries,color_transfer', '-of', 'default=nw=1', path]);
  return Object.fromEntries(res.stdout.toString().trim().split('\n').map((l) => l.split('=') as [string, string]));
}

test('encode: frames + PCM audio round trip (h264 yuv420p, exact NTSC rate, aac, pixels close)', async () => {
  const out = join(dir, 'roundtrip.mp4');
  const w = 64;
  const h = 48;
  const sr = 16000;
  const pcm = new Float32Array(sr);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 0.3 * Math.sin((2 * Math.PI * 440 * i) / sr);
  const enc = await VideoEncoder.open({ output: out, width: w, height: h, frameRate: '30000/1001', preset: 'veryfast', audio: { pcm, sampleRate: sr } });
  const sent: Uint8Array[] = [];
  for (let i = 0; i < 30; i++) {
    const f = pattern(w, h, i);
    sent.push(f);
    await enc.write({ index: i, time: i / 29.97, width: w, height: h, data: f });
  }
  const result = await enc.finish();
  assert.deepEqual({ w: result.width, h: result.height, padded: result.padded, frames: result.frames }, { w: 64, h: 48, padded: false, frames: 30 });
  assert.ok(!existsSync(`${out}.partial`));

  const info = await probeMedia(out);
  assert.equal(info.video!.codec, 'h264');
  assert.equal(info.video!.pixelFormat, 'yuv420p');
  assert.equal(info.video!.width, 64);
  assert.equal(info.video!.height, 48);
  assert.equal(info.video!.frameRate, '30000/1001');
  assert.equal(info.video!.frameCount, 30);
  assert.equal(info.audio?.codec, 'aac');
  assert.ok(Math.abs(info.duration - 1.0) < 0.1, `duration ${info.duration}`);

  const back = await collect(decodeVideoFrames(out, { width: w, height: h }));
  assert.equal(back.length, 30);
  for (const i of [0, 15, 29]) {
    const err = meanAbsDiff(back[i].data, sent[i]);
    assert.ok(err < 3, `frame ${i} mean abs error ${err}`);
  }
  const audio = await decodeAudio(out, { sampleRate: 16000 });
  const f = estimateFrequency(audio.samples.subarray(2000, 14000), 16000);
  assert.ok(Math.abs(f - 440) < 8, `audio frequency ${f}`);
});

test('encode: odd sizes are padded to even by repeating the edge', async () => {
  const out = join(dir, 'odd.mp4');
  const w = 63;
  const h = 47;
  const enc = await VideoEncoder.open({ output: out, width: w, height: h, frameRate: 25, preset: 'ultrafast' });
  assert.equal(enc.outputWidth, 64);
  assert.equal(enc.outputHeight, 48);
  const f = pattern(w, h, 0);
  for (let i = 0; i < 5; i++) await enc.write(f);
  const res = await enc.finish();
  assert.equal(res.padded, true);
  const info = await probeMedia(out);
  assert.equal(info.video!.width, 64);
  assert.equal(info.video!.height, 48);
  const [back] = await collect(decodeVideoFrames(out, { width: 64, height: 48, maxFrames: 1 }));
  // The added column repeats the last one (bright red ramp end), not black.
  const px = (x: number, y: number): number => back.data[(y * 64 + x) * 3];
  assert.ok(Math.abs(px(63, 20) - px(62, 20)) < 8 && px(63, 20) > 150, `edge ${px(62, 20)} → ${px(63, 20)}`);
  // padToEven itself is exact.
  const padded = padToEven(f, w, h);
  assert.equal(padded.length, 64 * 48 * 3);
  assert.equal(padded[(10 * 64 + 63) * 3], f[(10 * 63 + 62) * 3]);
  assert.equal(padded[(47 * 64 + 5) * 3 + 1], f[(46 * 63 + 5) * 3 + 1]);
});

test('encode: audio from a file, colour tags copied, rotation tag written on request', async () => {
  const wav = await makeSine(join(dir, 'tone.wav'), 2);
  const out = join(dir, 'tagged.mp4');
  const enc = await VideoEncoder.open({
    output: out, width: 64, height: 48, frameRate: '25/1', preset: 'ultrafast', audio: { path: wav, duration: 1 },
    color: { colorRange: 'tv', colorSpace: 'bt709', colorPrimaries: 'bt709', colorTransfer: 'bt709' }, rotation: 90,
  });
  for (let i = 0; i < 25; i++) await enc.write(pattern(64, 48, i));
  await enc.finish();
  const s = await ffprobeStream(out);
  assert.equal(s.color_space, 'bt709');
  assert.equal(s.color_primaries, 'bt709');
  assert.equal(s.color_transfer, 'bt709');
  assert.equal(s.color_range, 'tv');
  const info = await probeMedia(out);
  assert.equal(info.video!.rotation, 90);
  assert.equal(info.video!.width, 48);
  assert.equal(info.audio?.codec, 'aac');
  assert.ok(Math.abs(info.audio!.duration - 1) < 0.1, `audio duration ${info.audio!.duration}`);
});

test('encode: write() applies backpressure beyond a few queued frames', async () => {
  const out = join(dir, 'backpressure.mp4');
  const w = 320;
  const h = 240;
  const enc = await VideoEncoder.open({ output: out, width: w, height: h, frameRate: 25, preset: 'medium', threads: 1 });
  const frame = pattern(w, h, 3);
  let maxQueued = 0;
  for (let i = 0; i < 40; i++) {
    await enc.write(frame);
    maxQueued = Math.max(maxQueued, enc.queuedBytes);
  }
  await enc.finish();
  // Without waiting, 40 frames (9 MB) would pile up in the pipe's buffer; the default queue is 3.
  assert.ok(maxQueued <= 3 * w * h * 3, `queued ${maxQueued} bytes`);
  assert.ok(maxQueued > 0);
});

test('encode: failures are reported by finish()/write(), abort() leaves nothing behind', async () => {
  const bad = await VideoEncoder.open({ output: join(dir, 'no-such-dir', 'x.mp4'), width: 64, height: 48, frameRate: 25, preset: 'ultrafast' });
  await assert.rejects(
    (async () => {
      for (let i = 0; i < 5; i++) await bad.write(pattern(64, 48, i));
      await bad.finish();
    })(),
    (e: unknown) => isResyncError(e) && e.code === 'generation_internal_error' && /no-such-dir|No such file/i.test(e.message),
  );

  const empty = await VideoEncoder.open({ output: join(dir, 'empty.mp4'), width: 64, height: 48, frameRate: 25 });
  await assert.rejects(empty.finish(), (e: unknown) => isResyncError(e) && e.code === 'invalid_argument');

  const wrong = await VideoEncoder.open({ output: join(dir, 'wrong.mp4'), width: 64, height: 48, frameRate: 25 });
  await assert.rejects(wrong.write(new Uint8Array(10)), (e: unknown) => isResyncError(e) && e.code === 'invalid_argument');
  await wrong.abort();

  const aborted = await VideoEncoder.open({ output: join(dir, 'aborted.mp4'), width: 64, height: 48, frameRate: 25, audio: { pcm: new Float32Array(8000), sampleRate: 8000 } });
  await aborted.write(pattern(64, 48, 0));
  await aborted.abort();
  const left = (await readdir(dir)).filter((n) => n.startsWith('aborted') || n.startsWith('empty') || n.startsWith('wrong'));
  assert.deepEqual(left, []);
  await assert.rejects(aborted.write(pattern(64, 48, 1)), (e: unknown) => isResyncError(e) && e.code === 'invalid_argument');
});

test('transcode: plain ffmpeg baseline keeps size (odd padded to even), h264 + aac', async () => {
  const src = await makeClip(join(dir, 'odd-src.mp4'), { width: 65, height: 49, audio: true, seconds: 1, source: 'testsrc', pixFmt: 'yuv444p' });
  const out = join(dir, 'transcoded.mp4');
  await transcode(src, out, 'veryfast');
  const info = await probeMedia(out);
  assert.equal(info.video!.codec, 'h264');
  assert.equal(info.video!.pixelFormat, 'yuv420p');
  assert.equal(info.video!.width, 66);
  assert.equal(info.video!.height, 50);
  assert.equal(info.audio?.codec, 'aac');
  await assert.rejects(transcode(join(dir, 'missing.mp4'), join(dir, 't2.mp4'), 'veryfast'), (e: unknown) => isResyncError(e) && e.code === 'generation_internal_error');
  assert.ok(!existsSync(join(dir, 't2.mp4.partial')));
});

// Colour round trip on real footage: decode → encode with the input's colour info → decode. A
// matrix or range mismatch (e.g. BT.601 maths on a BT.709 clip) shifts every pixel and fails this.
const SHARED = join(findSharedData() ?? '/nonexistent', 'raw');
for (const name of ['KwaiVGI__LivePortrait/d11.mp4', 'KwaiVGI__LivePortrait/d12.mp4', 'tanshuai0219__EDTalk/pose_source2.mp4']) {
  const clipPath = join(SHARED, name);
  test(`encode: colour round trip on shared clip ${name}`, { skip: existsSync(clipPath) ? false : `shared data not present: ${clipPath}` }, async () => {
    const info = await probeMedia(clipPath);
    const v = info.video!;
    const frames = await collect(decodeVideoFrames(clipPath, { width: v.width, height: v.height, fps: v.frameRate, maxFrames: 8 }));
    const out = join(dir, `shared-${name.replace(/\W/g, '_')}.mp4`);
    const enc = await VideoEncoder.open({ output: out, width: v.width, height: v.height, frameRate: v.frameRate, preset: 'ultrafast', crf: 10, color: v });
    for (const f of frames) await enc.write(f);
    await enc.finish();
    const back = await collect(decodeVideoFrames(out, { width: v.width, height: v.height }));
    assert.equal(back.length, frames.length);
    // Mean signed error per channel stays near zero (no systematic colour shift).
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let i = c; i < frames[3].data.length; i += 3) s += back[3].data[i] - frames[3].data[i];
      const bias = s / (frames[3].data.length / 3);
      assert.ok(Math.abs(bias) < 1.5, `channel ${c} bias ${bias} (${v.colorSpace ?? 'untagged'}/${v.colorRange ?? '-'})`);
    }
    assert.ok(meanAbsDiff(back[3].data, frames[3].data) < 4);
  });
}

test('an encoder that dies mid-clip fails the next writes with a clear error, and leaves no file', async () => {
  const out = join(dir, 'killed.mp4');
  const w = 64, h = 48;
  const enc = await VideoEncoder.open({ output: out, width: w, height: h, frameRate: 25, preset: 'ultrafast', queueFrames: 1 });
  for (let i = 0; i < 5; i++) await enc.write({ index: i, time: i / 25, width: w, height: h, data: pattern(w, h, i) });
  (enc as unknown as { child: { kill(s: string): void } }).child.kill('SIGKILL');
  let error: unknown;
  for (let i = 5; i < 500 && !error; i++) {
    try {
      await enc.write({ index: i, time: i / 25, width: w, height: h, data: pattern(w, h, i) });
    } catch (e) {
      error = e;
    }
  }
  assert.ok(isResyncError(error) && error.code === 'generation_internal_error' && /video encoder stopped/.test(error.message), String(error));
  assert.equal(existsSync(out), false);
  assert.equal(existsSync(`${out}.partial`), false);
});
