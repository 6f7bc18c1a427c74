import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { decodeVideoFrames } from '../src/engine/media/decode-video.js';
import { decodeAudio, decodeAudioChunks } from '../src/engine/media/decode-audio.js';
import { probeMedia } from '../src/engine/media/probe.js';
import { makeTempDir, ffmpeg, makeSine, collect, meanRgb, estimateFrequency, rms } from './media-fixtures.js';

let dir = '';
let remove: () => Promise<void> = async () => {};
let halves = ''; // 64×48: left half red, right half blue
let solid = '';

before(async () => {
  ({ dir, remove } = await makeTempDir());
  solid = join(dir, 'solid.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x3366cc:s=64x48:r=25', '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', solid]);
  halves = join(dir, 'halves.mp4');
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=red:s=32x48:r=25[a];color=c=blue:s=32x48:r=25[b];[a][b]hstack', '-frames:v', '10', '-c:v', 'libx264', '-preset', 'ultrafast', '-qp', '0', '-pix_fmt', 'yuv420p', halves]);
});
after(() => remove());

test('decode: frame count and pixel values of a solid colour clip', async () => {
  const frames = await collect(decodeVideoFrames(solid, { width: 64, height: 48 }));
  assert.equal(frames.length, 25);
  for (const f of [frames[0], frames[24]]) {
    assert.equal(f.data.length, 64 * 48 * 3);
    const [r, g, b] = meanRgb(f.data, 64);
    // 0x33 0x66 0xcc through yuv420p and back.
    assert.ok(Math.abs(r - 0x33) < 6 && Math.abs(g - 0x66) < 6 && Math.abs(b - 0xcc) < 6, `mean ${r} ${g} ${b}`);
  }
  assert.equal(frames[5].index, 5);
  assert.ok(Math.abs(frames[5].time - 5 / 25) < 1e-9);
});

test('decode: region, scale, fps and maxFrames options', async () => {
  const right = await collect(decodeVideoFrames(halves, { width: 64, height: 48, region: { x: 32, y: 0, width: 32, height: 48 } }));
  assert.equal(right.length, 10);
  assert.equal(right[0].width, 32);
  const [r, , b] = meanRgb(right[0].data, 32);
  assert.ok(b > 200 && r < 30, `right half should be blue, got r=${r} b=${b}`);
  const left = await collect(decodeVideoFrames(halves, { width: 64, height: 48, region: { x: 0, y: 0, width: 32, height: 48 }, scaleTo: { width: 16, height: 24 }, maxFrames: 3 }));
  assert.equal(left.length, 3);
  assert.equal(left[0].data.length, 16 * 24 * 3);
  const [lr, , lb] = meanRgb(left[0].data, 16);
  assert.ok(lr > 200 && lb < 30, `left half should be red, got r=${lr} b=${lb}`);
  // 10 frames at 25 fps resampled to 50 fps: every frame shown twice.
  const doubled = await collect(decodeVideoFrames(halves, { width: 64, height: 48, fps: '50/1' }));
  assert.ok(Math.abs(doubled.length - 20) <= 1, `${doubled.length} frames`);
  assert.ok(Math.abs(doubled[4].time - 4 / 50) < 1e-9);
});

test('decode: rotated input is upright by default and coded with noAutorotate', async () => {
  const rotated = join(dir, 'rotated.mp4');
  // rotate=270 on stream copy in ffmpeg 4.1 means 90° clockwise (see mp4-rotation.ts).
  await ffmpeg(['-i', halves, '-c', 'copy', '-metadata:s:v:0', 'rotate=270', rotated]);
  const info = await probeMedia(rotated);
  assert.equal(info.video!.rotation, 90);
  const [upright] = await collect(decodeVideoFrames(rotated, { width: info.video!.width, height: info.video!.height, maxFrames: 1 }));
  assert.equal(upright.width, 48);
  assert.equal(upright.height, 64);
  // 90° clockwise: the red left half of the stored picture is now on top.
  const top = meanRgb(upright.data, 48, 0, 0, 48, 32);
  const bottom = meanRgb(upright.data, 48, 0, 32, 48, 32);
  assert.ok(top[0] > 200 && bottom[2] > 200, `top ${top} bottom ${bottom}`);
  const [coded] = await collect(decodeVideoFrames(rotated, { width: 64, height: 48, noAutorotate: true, maxFrames: 1 }));
  assert.equal(coded.data.length, 64 * 48 * 3);
  const leftCoded = meanRgb(coded.data, 64, 0, 0, 32, 48);
  assert.ok(leftCoded[0] > 200, `coded left should be red: ${leftCoded}`);
});

test('decode audio: sine frequency, amplitude and sample count', async () => {
  const wav = await makeSine(join(dir, 'sine.wav'), 1.5, 48000, 440);
  const pcm = await decodeAudio(wav, { sampleRate: 16000 });
  assert.equal(pcm.sampleRate, 16000);
  assert.ok(Math.abs(pcm.samples.length - 24000) <= 16, `${pcm.samples.length} samples`);
  const f = estimateFrequency(pcm.samples, 16000);
  assert.ok(Math.abs(f - 440) < 5, `frequency ${f}`);
  // lavfi sine has amplitude 1/8: RMS 0.125/√2.
  const level = rms(pcm.samples.subarray(1000, 23000));
  assert.ok(Math.abs(level - 0.125 / Math.SQRT2) < 0.01, `rms ${level}`);
  const chunks = await collect(decodeAudioChunks(wav, { sampleRate: 16000, chunkSamples: 4000 }));
  assert.ok(chunks.slice(0, -1).every((c) => c.length === 4000));
  assert.equal(chunks.reduce((n, c) => n + c.length, 0), pcm.samples.length);
  const part = await decodeAudio(wav, { sampleRate: 16000, startTime: 0.5, duration: 0.5 });
  assert.ok(Math.abs(part.samples.length - 8000) <= 16, `${part.samples.length} samples in the window`);
});

test('pipe reader: exact chunks in order with read-ahead, tail kept, early stop kills the child', async () => {
  const { readFixedChunks } = await import('../src/engine/media/pipe-chunks.js');
  // 10 000 003 bytes of a counting pattern from a shell (no ffmpeg needed)
  const script = 'head -c 10000003 /dev/zero | tr "\\0" "\\1"';
  const chunks: Uint8Array[] = [];
  const it = readFixedChunks('sh', ['-c', script], 1_000_000, { tailMultiple: 1, readAheadBytes: 3_000_000 });
  let r = await it.next();
  while (!r.done) {
    chunks.push(r.value);
    r = await it.next();
  }
  assert.equal(r.value.code, 0);
  assert.deepEqual(chunks.map((c) => c.length), [...Array(10).fill(1_000_000), 3]);
  assert.ok(chunks.every((c) => c.every((v) => v === 1)));
  // stopping after one chunk of an endless stream ends the child instead of hanging
  const endless = readFixedChunks('sh', ['-c', 'cat /dev/zero'], 65536);
  const first = await endless.next();
  assert.equal((first.value as Uint8Array).length, 65536);
  await endless.return(undefined as never);
});

test('pipe reader: a consumer that holds back is not a stall; a child that goes silent is', async () => {
  const { readFixedChunks } = await import('../src/engine/media/pipe-chunks.js');
  // 8 chunks, read ahead 2: the child blocks on the full pipe while the consumer sleeps 3 times
  // the stall timeout after the first chunk
  const slow = readFixedChunks('sh', ['-c', 'head -c 8000000 /dev/zero'], 1_000_000, { readAheadBytes: 2_000_000, stallTimeoutMs: 300 });
  let n = 0;
  let r = await slow.next();
  while (!r.done) {
    if (n++ === 0) await new Promise((res) => setTimeout(res, 900));
    r = await slow.next();
  }
  assert.equal(n, 8);
  assert.equal(r.value.stalled, false);
  assert.equal(r.value.code, 0);
  // a child that writes a little and then nothing is killed after the timeout
  const t = performance.now();
  const silent = readFixedChunks('sh', ['-c', 'printf abc; exec sleep 30'], 1_000_000, { stallTimeoutMs: 300 });
  let s = await silent.next();
  while (!s.done) s = await silent.next();
  assert.equal(s.value.stalled, true);
  assert.ok(performance.now() - t < 10_000);
});

test('pipe reader: a consumer that stops right after a chunk leaves no stall timer behind', async () => {
  const { readFixedChunks } = await import('../src/engine/media/pipe-chunks.js');
  // The read-ahead is full (the stream paused) when the consumer takes a chunk: take() resumes the
  // stream on the next tick, and the consumer stops before that tick. The stream then flushed what
  // it had buffered into the reader after it was closed, re-arming the stall timer: a timer that
  // held the process open for the whole timeout (60 s by default) after the job was done.
  const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
  const base = timers();
  for (let k = 0; k < 5; k++) {
    const it = readFixedChunks('sh', ['-c', 'head -c 4000000 /dev/zero'], 100_000, { readAheadBytes: 300_000, stallTimeoutMs: 60_000 });
    await it.next(); // starts the child; the first chunk
    await new Promise((res) => setTimeout(res, 150)); // the read-ahead fills and the stream pauses
    await it.next();
    await it.return(undefined as never);
    await new Promise((res) => setImmediate(res));
    assert.equal(timers(), base, `run ${k}: a timer is left behind`);
  }
});

test('decode: frames drawn from a buffer pool are reused once given back, and stay correct', async () => {
  const { BufferPool } = await import('../src/engine/media/buffer-pool.js');
  const pool = new BufferPool(64 * 48 * 3, 2);
  const plain = await collect(decodeVideoFrames(halves, { width: 64, height: 48 }));
  const seen = new Set<ArrayBufferLike>();
  let i = 0;
  for await (const f of decodeVideoFrames(halves, { width: 64, height: 48, pool })) {
    assert.deepEqual(f.data, plain[i++].data);
    seen.add(f.data.buffer);
    f.data.fill(7); // a consumer may draw on its frame before giving it back
    pool.give(f.data);
  }
  assert.equal(i, 10);
  // the decoder reads ahead a few frames, so a handful of buffers go round instead of ten
  assert.ok(seen.size < 10, `${seen.size} distinct buffers`);
  // a buffer of another size, or a view into a larger one, is not taken into the pool
  pool.give(new Uint8Array(5));
  pool.give(new Uint8Array(64 * 48 * 3 + 8).subarray(8));
  const a = pool.take(), b = pool.take(), c = pool.take();
  assert.equal(a.length, 64 * 48 * 3);
  assert.ok(a.buffer !== b.buffer && b.buffer !== c.buffer && a.buffer !== c.buffer);
});
