import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { validateSegments, composeSegmentSound, segmentSoundChannels, type DecodeChunks } from '../src/engine/generate/segments.js';
import { decodeAudio } from '../src/engine/media/decode-audio.js';

test('segments are validated: overlap, bad ranges, unknown refId, half crops', () => {
  const ok = validateSegments([{ startTime: 2, endTime: 3, audioInput: { refId: 'b' } }, { startTime: 0, endTime: 1, audioInput: { refId: 'a', startTime: 0.5, endTime: 1.5 } }], 4, ['a', 'b'], 25);
  assert.deepEqual(ok.map((s) => [s.startFrame, s.endFrame]), [[0, 25], [50, 75]]);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 2, audioInput: { refId: 'a' } }, { startTime: 1, endTime: 3, audioInput: { refId: 'a' } }], 4, ['a'], 25), /overlap/);
  assert.throws(() => validateSegments([{ startTime: 1, endTime: 1, audioInput: { refId: 'a' } }], 4, ['a'], 25), /bad time range/);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 1, audioInput: { refId: 'x' } }], 4, ['a'], 25), /names no audio/);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 1, audioInput: { refId: 'a', startTime: 1 } }], 4, ['a'], 25), /together/);
  assert.throws(() => validateSegments([{ startTime: 5, endTime: 6, audioInput: { refId: 'a' } }], 4, ['a'], 25), /after the video ends/);
});

/**
 * A decoder stand-in: each input's samples in chunks of `size` sample frames (odd, so chunk edges
 * fall anywhere). Inputs are given interleaved at the channel count asked for.
 */
function chunked(inputs: Record<string, Float32Array>, size: number, decoded: string[]): DecodeChunks {
  return async function* (path, _rate, channels) {
    decoded.push(path);
    const x = inputs[path];
    const step = size * channels;
    for (let i = 0; i < x.length; i += step) yield x.slice(i, i + step);
  };
}

/** The float samples of a 32-bit float WAV of `channels` channels with a 44-byte header. */
function wavSamples(path: string, channels = 1): Float32Array {
  const b = readFileSync(path);
  assert.equal(b.toString('ascii', 0, 4), 'RIFF');
  assert.equal(b.readUInt16LE(20), 3, 'IEEE float');
  assert.equal(b.readUInt16LE(22), channels, 'channels');
  assert.equal(b.readUInt16LE(32), 4 * channels, 'bytes a sample frame');
  const n = b.readUInt32LE(40) / 4;
  assert.equal(b.length, 44 + n * 4);
  return new Float32Array(b.buffer.slice(b.byteOffset + 44, b.byteOffset + 44 + n * 4));
}

test('segment sound is laid over the original, cropped and padded to each span, streamed into a float WAV file', async () => {
  const sr = 10;
  const original = new Float32Array(50).fill(0.1); // longer than the video: cut to its 4 s
  const a = Float32Array.from({ length: 30 }, (_, i) => i / 100);
  const b = Float32Array.from({ length: 5 }, (_, i) => -(i + 1) / 10); // shorter than its span
  const segs = validateSegments(
    [
      { startTime: 1, endTime: 2, audioInput: { refId: 'a', startTime: 0.5, endTime: 1 } },
      { startTime: 2.5, endTime: 3.5, audioInput: { refId: 'b' } },
      { startTime: 3.5, endTime: 4, audioInput: { refId: 'a', startTime: 2, endTime: 2.5 } },
    ],
    4, ['a', 'b'], 25,
  );
  for (const size of [1, 3, 7, 64]) {
    const decoded: string[] = [];
    const file = await composeSegmentSound({ sampleRate: sr, duration: 4, original: 'orig', segments: segs, audio: { a: 'a', b: 'b' }, decode: chunked({ orig: original, a, b }, size, decoded) });
    try {
      const out = wavSamples(file.path);
      const want = new Float32Array(40).fill(0.1);
      want.fill(0, 10, 20);
      want.set(a.subarray(5, 10), 10); // 0.5–1 s of a at 1 s; the rest of the span silent
      want.fill(0, 25, 35);
      want.set(b, 25); // all of b, then silence to the span's end
      want.set(a.subarray(20, 25), 35);
      assert.deepEqual(Array.from(out), Array.from(want), `chunks of ${size}`);
      assert.deepEqual(decoded.sort(), ['a', 'b', 'orig'], 'each input decoded once, though a serves two segments');
    } finally {
      file.close();
    }
    assert.equal(existsSync(file.path), false);
  }
});

test('segment sound without the original is silence around the segments, and ffmpeg reads the file', async () => {
  const sr = 16000;
  const a = Float32Array.from({ length: sr }, (_, i) => 0.5 * Math.sin(i / 10));
  const segs = validateSegments([{ startTime: 0.5, endTime: 1.5, audioInput: { refId: 'a' } }], 2, ['a'], 25);
  const file = await composeSegmentSound({ sampleRate: sr, duration: 2, segments: segs, audio: { a: 'a' }, decode: chunked({ a }, 4000, []) });
  try {
    const back = (await decodeAudio(file.path, { sampleRate: sr })).samples;
    assert.equal(back.length, 2 * sr);
    assert.deepEqual(Array.from(back.subarray(0, sr / 2)), new Array(sr / 2).fill(0));
    assert.deepEqual(Array.from(back.subarray(sr / 2, 1.5 * sr)), Array.from(a));
    assert.deepEqual(Array.from(back.subarray(1.5 * sr)), new Array(sr / 2).fill(0));
  } finally {
    file.close();
  }
});

test('segment sound in stereo: channels stay interleaved through crops, padding and odd chunk edges; ffmpeg reads both sides', async () => {
  const sr = 10;
  // left and right differ everywhere, so a sample landing on the wrong side shows
  const stereo = (frames: number, f: (i: number) => number): Float32Array => {
    const x = new Float32Array(frames * 2);
    for (let i = 0; i < frames; i++) (x[2 * i] = f(i)), (x[2 * i + 1] = -f(i) - 0.5);
    return x;
  };
  const original = stereo(50, () => 0.1);
  const a = stereo(30, (i) => i / 100);
  const segs = validateSegments([{ startTime: 1, endTime: 2, audioInput: { refId: 'a', startTime: 0.5, endTime: 1 } }], 4, ['a'], 25);
  for (const size of [1, 3, 7, 64]) {
    const file = await composeSegmentSound({ sampleRate: sr, channels: 2, duration: 4, original: 'orig', segments: segs, audio: { a: 'a' }, decode: chunked({ orig: original, a }, size, []) });
    try {
      const want = original.slice(0, 80);
      want.fill(0, 20, 40);
      want.set(a.subarray(10, 20), 20); // frames 5–10 of a at 1 s, then silence to the span's end
      assert.deepEqual(Array.from(wavSamples(file.path, 2)), Array.from(want), `chunks of ${size}`);
    } finally {
      file.close();
    }
  }
  // the real decoder: ffmpeg reads the stereo file back, side by side
  const hz = 16000;
  const b = stereo(hz, (i) => 0.25 * Math.sin(i / 7));
  const one = validateSegments([{ startTime: 0.5, endTime: 1.5, audioInput: { refId: 'b' } }], 2, ['b'], 25);
  const file = await composeSegmentSound({ sampleRate: hz, channels: 2, duration: 2, segments: one, audio: { b: 'b' }, decode: chunked({ b }, 4000, []) });
  try {
    const back = (await decodeAudio(file.path, { sampleRate: hz, channels: 2 })).samples;
    assert.equal(back.length, 2 * 2 * hz);
    assert.deepEqual(Array.from(back.subarray(hz, 3 * hz)), Array.from(b));
    assert.equal(back.subarray(0, hz).every((v) => v === 0), true);
  } finally {
    file.close();
  }
  assert.equal(segmentSoundChannels([1, undefined, 1]), 1);
  assert.equal(segmentSoundChannels([undefined]), 1);
  assert.equal(segmentSoundChannels([1, 2]), 2);
  assert.equal(segmentSoundChannels([6, 1]), 2);
});
