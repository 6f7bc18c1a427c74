/** Streaming: chunking does not change the result, and long inputs do not grow memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MouthStream } from '../src/engine/audio/stream.js';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { SAMPLE_RATE } from '../src/engine/audio/features.js';
import { temperatureGain } from '../src/engine/audio/shape.js';
import { speech, whiteNoise, concat } from './audio-fixtures.js';
import { rng } from '../scripts/lib/rng.js';

test('streaming in odd-sized chunks gives exactly the whole-buffer result', async () => {
  const sp = await speech('Streaming must not change the mouth at all.', 'en-us');
  const whole = mouthFromSamples(sp.samples, SAMPLE_RATE, { fps: 29.97 });
  const st = new MouthStream({ fps: 29.97 });
  const r = rng(3);
  const frames = [];
  for (let o = 0; o < sp.samples.length; ) {
    const n = 1 + Math.floor(r() * 5000);
    frames.push(...st.push(sp.samples.subarray(o, o + n)));
    o += n;
  }
  frames.push(...st.end());
  assert.deepEqual(frames, whole.frames);
});

test('a 12-minute stream keeps memory flat', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const sp = await speech('This sentence repeats for a long time, with pauses in between.', 'en-us', 0.3, 0.7);
  const block = concat(sp.samples, whiteNoise(1, 0.001, 5));
  const st = new MouthStream({ fps: 25 });
  const blockSec = block.length / SAMPLE_RATE;
  const totalSec = 12 * 60;
  let frames = 0;
  let heapAt2min = 0;
  let fed = 0;
  while (fed < totalSec) {
    for (let o = 0; o < block.length; o += SAMPLE_RATE) frames += st.push(block.subarray(o, o + SAMPLE_RATE)).length;
    fed += blockSec;
    if (!heapAt2min && fed >= 120) {
      gc();
      heapAt2min = process.memoryUsage().heapUsed;
    }
  }
  frames += st.end().length;
  gc();
  const growth = process.memoryUsage().heapUsed - heapAt2min;
  assert.equal(frames, Math.ceil(st.duration * 25 - 1e-6));
  // 10 further minutes would be ~15k frames; anything kept per frame would show up as megabytes.
  assert.ok(growth < 4 * 1024 * 1024, `heap grew ${(growth / 1048576).toFixed(1)} MB over 10 minutes of audio`);
});

test('temperature scales expressiveness around rest, and is validated', async () => {
  const sp = await speech('Open wide and say ah.', 'en-us');
  const lo = mouthFromSamples(sp.samples, SAMPLE_RATE, { temperature: 0 });
  const mid = mouthFromSamples(sp.samples, SAMPLE_RATE, {});
  const hi = mouthFromSamples(sp.samples, SAMPLE_RATE, { temperature: 1 });
  assert.equal(mid.settings.temperature, 0.5);
  const sum = (t: typeof mid): number => t.frames.reduce((a, f) => a + f.lipGap, 0);
  assert.ok(Math.abs(sum(lo) / sum(mid) - temperatureGain(0)) < 0.01);
  assert.ok(Math.abs(sum(hi) / sum(mid) - temperatureGain(1)) < 0.01);
  // Silence stays at rest whatever the temperature.
  assert.equal(hi.frames[0].lipGap, 0);
  assert.throws(() => mouthFromSamples(sp.samples, SAMPLE_RATE, { temperature: 1.5 }), RangeError);
  assert.throws(() => mouthFromSamples(sp.samples, SAMPLE_RATE, { fps: 0 }), RangeError);
});
