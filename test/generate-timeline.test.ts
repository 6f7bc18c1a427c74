import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planTimeline } from '../src/engine/generate/timeline.js';

const fps = 25;

test('cut_off keeps the shorter length', () => {
  const a = planTimeline({ mode: 'cut_off', videoFrames: 100, fps, audioDuration: 2 });
  assert.equal(a.sourceFrames.length, 50);
  assert.equal(a.duration, 2);
  const b = planTimeline({ mode: 'cut_off', videoFrames: 30, fps, audioDuration: 2 });
  assert.equal(b.sourceFrames.length, 30);
  assert.equal(b.audioUsed, 1.2);
});

test('loop restarts the video until the audio ends', () => {
  const t = planTimeline({ mode: 'loop', videoFrames: 10, fps, audioDuration: 1 });
  assert.equal(t.sourceFrames.length, 25);
  assert.deepEqual([...t.sourceFrames.slice(8, 13)], [8, 9, 0, 1, 2]);
});

test('bounce plays forward then backward without doubling the turning frames', () => {
  const t = planTimeline({ mode: 'bounce', videoFrames: 4, fps, audioDuration: 0.4 });
  assert.deepEqual([...t.sourceFrames], [0, 1, 2, 3, 2, 1, 0, 1, 2, 3]);
  const single = planTimeline({ mode: 'bounce', videoFrames: 1, fps, audioDuration: 0.2 });
  assert.deepEqual([...single.sourceFrames], [0, 0, 0, 0, 0]);
});

test('silence keeps the longer track: short audio is padded, a short video holds its last frame', () => {
  const a = planTimeline({ mode: 'silence', videoFrames: 50, fps, audioDuration: 1 });
  assert.equal(a.sourceFrames.length, 50);
  assert.equal(a.audioUsed, 1);
  const b = planTimeline({ mode: 'silence', videoFrames: 10, fps, audioDuration: 1 });
  assert.equal(b.sourceFrames.length, 25);
  assert.equal(b.sourceFrames[24], 9);
});

test('remap stretches the video over the audio, first to first and last to last', () => {
  const t = planTimeline({ mode: 'remap', videoFrames: 11, fps, audioDuration: 0.84 });
  assert.equal(t.sourceFrames.length, 21);
  assert.equal(t.sourceFrames[0], 0);
  assert.equal(t.sourceFrames[20], 10);
  assert.equal(t.sourceFrames[10], 5);
  for (let i = 1; i < 21; i++) assert.ok(t.sourceFrames[i] >= t.sourceFrames[i - 1]);
});

test('a still image lasts as long as the audio in every mode', () => {
  for (const mode of ['cut_off', 'silence', 'bounce'] as const) {
    const t = planTimeline({ mode, videoFrames: 1, fps, audioDuration: 2, stillImage: true });
    assert.equal(t.sourceFrames.length, 50);
  }
});

test('empty inputs are refused with error codes', () => {
  assert.throws(() => planTimeline({ mode: 'loop', videoFrames: 0, fps, audioDuration: 1 }), /no frames/);
  assert.throws(() => planTimeline({ mode: 'loop', videoFrames: 5, fps, audioDuration: 0 }), (e: { code?: string }) => e.code === 'generation_input_audio_invalid');
});
