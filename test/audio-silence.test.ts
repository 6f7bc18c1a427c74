/** Silence, noise and breaths leave the mouth at rest; speech opens it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mouthFromSamples } from '../src/engine/audio/mouth.js';
import { SAMPLE_RATE } from '../src/engine/audio/features.js';
import { speech, whiteNoise, rumble, concat } from './audio-fixtures.js';

const max = (v: number[]): number => Math.max(...v);
const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

test('pure digital silence gives the rest pose in every frame', () => {
  const tr = mouthFromSamples(new Float32Array(SAMPLE_RATE * 3), SAMPLE_RATE, { fps: 25 });
  assert.equal(tr.frames.length, 75);
  for (const f of tr.frames) {
    assert.deepEqual([f.lipGap, f.jaw, f.width, f.closure, f.labiodental, f.voice], [0, 0, 0, 0, 0, 0], `frame at ${f.t}`);
  }
  assert.equal(tr.stats.voicedFraction, 0);
});

test('steady noise (white at -30 dBFS, rumble at -20 dBFS) does not make the mouth chatter', () => {
  for (const [name, x] of [
    ['white', whiteNoise(4, 0.03)],
    ['rumble', rumble(4, 0.1)],
  ] as const) {
    const tr = mouthFromSamples(x, SAMPLE_RATE, { fps: 25 });
    assert.ok(max(tr.frames.map((f) => f.voice)) < 0.05, `${name}: voice ${max(tr.frames.map((f) => f.voice))}`);
    assert.ok(max(tr.frames.map((f) => f.lipGap)) < 0.02, `${name}: lip gap ${max(tr.frames.map((f) => f.lipGap))}`);
  }
});

test('speech opens the mouth, and the pauses around it rest closed', async () => {
  const sp = await speech('We can go there now, I think.', 'en-us', 1.0, 1.0);
  // Low background noise throughout, as in a real recording.
  const x = sp.samples.map((v, i) => v + 0.002 * Math.sin(i * 12.9898) * Math.cos(i * 78.233));
  const tr = mouthFromSamples(x, SAMPLE_RATE, { fps: 25 });
  const first = sp.phonemes.find((p) => p.ipa)!.start;
  const last = sp.phonemes.filter((p) => p.ipa).at(-1)!.end;
  const inSpeech = tr.frames.filter((f) => f.t > first + 0.1 && f.t < last - 0.1);
  const inPause = tr.frames.filter((f) => f.t < first - 0.3 || f.t > last + 0.4);
  assert.ok(mean(inSpeech.map((f) => f.voice)) > 0.9, 'voice during speech');
  assert.ok(max(inSpeech.map((f) => f.lipGap)) > 0.3, `max lip gap during speech ${max(inSpeech.map((f) => f.lipGap))}`);
  assert.ok(max(inPause.map((f) => f.lipGap)) < 0.02, `lip gap in pauses ${max(inPause.map((f) => f.lipGap))}`);
  assert.ok(max(inPause.map((f) => f.voice)) < 0.05);
});

test('a breath-like noise burst in a pause stays closed', async () => {
  const sp = await speech('Hello there.', 'en-us', 0.3, 0.2);
  const breath = whiteNoise(0.35, 0.01, 9).map((v, i, a) => v * Math.sin((Math.PI * i) / a.length));
  const gap = new Float32Array(SAMPLE_RATE * 0.6);
  const x = concat(sp.samples, gap, breath, gap, sp.samples);
  const tr = mouthFromSamples(x, SAMPLE_RATE, { fps: 25 });
  const t0 = sp.duration + 0.6;
  const during = tr.frames.filter((f) => f.t >= t0 && f.t <= t0 + 0.35);
  assert.ok(max(during.map((f) => f.lipGap)) < 0.05, `lip gap during breath ${max(during.map((f) => f.lipGap))}`);
});
