import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateSegments, composeSegmentAudio } from '../src/engine/generate/segments.js';

test('segments are validated: overlap, bad ranges, unknown refId, half crops', () => {
  const ok = validateSegments([{ startTime: 2, endTime: 3, audioInput: { refId: 'b' } }, { startTime: 0, endTime: 1, audioInput: { refId: 'a', startTime: 0.5, endTime: 1.5 } }], 4, ['a', 'b'], 25);
  assert.deepEqual(ok.map((s) => [s.startFrame, s.endFrame]), [[0, 25], [50, 75]]);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 2, audioInput: { refId: 'a' } }, { startTime: 1, endTime: 3, audioInput: { refId: 'a' } }], 4, ['a'], 25), /overlap/);
  assert.throws(() => validateSegments([{ startTime: 1, endTime: 1, audioInput: { refId: 'a' } }], 4, ['a'], 25), /bad time range/);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 1, audioInput: { refId: 'x' } }], 4, ['a'], 25), /names no audio/);
  assert.throws(() => validateSegments([{ startTime: 0, endTime: 1, audioInput: { refId: 'a', startTime: 1 } }], 4, ['a'], 25), /together/);
  assert.throws(() => validateSegments([{ startTime: 5, endTime: 6, audioInput: { refId: 'a' } }], 4, ['a'], 25), /after the video ends/);
});

test('segment audio is laid over the original, cropped and padded to each span', () => {
  const sr = 10;
  const original = new Float32Array(40).fill(0.1);
  const a = Float32Array.from({ length: 30 }, (_, i) => i / 100);
  const segs = validateSegments([{ startTime: 1, endTime: 2, audioInput: { refId: 'a', startTime: 0.5, endTime: 1 } }], 4, ['a'], 25);
  const out = composeSegmentAudio({ sampleRate: sr, duration: 4, original, segments: segs, audio: { a } });
  assert.equal(out.length, 40);
  assert.ok(Math.abs(out[5] - 0.1) < 1e-6); // before the segment: original
  assert.ok(Math.abs(out[10] - 0.05) < 1e-6); // crop starts at 0.5 s of `a`
  assert.ok(Math.abs(out[14] - 0.09) < 1e-6);
  assert.equal(out[16], 0); // crop is 0.5 s long: padded with silence to the span
  assert.ok(Math.abs(out[25] - 0.1) < 1e-6); // after the segment: original again
});
