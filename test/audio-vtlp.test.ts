/**
 * The vocal tract length warp used to augment training audio (scripts/experiment-mouth.ts --vtlp):
 * identity at 1, a continuous monotone map of 0..Nyquist onto itself otherwise, and a filterbank
 * that at warp 1 is the run-time one exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { melFilterbank, vtlpWarp } from '../src/engine/audio/dsp.js';

const SR = 16000;
const NYQ = SR / 2;

test('vtlpWarp is the identity at alpha 1', () => {
  for (const f of [0, 60, 500, 2000, 4800, 6000, 7800, NYQ]) assert.equal(vtlpWarp(f, 1, SR), f);
});

test('vtlpWarp maps 0..Nyquist onto itself, monotone and without a jump at its boundary', () => {
  for (const alpha of [0.85, 0.9, 1.1, 1.15]) {
    assert.equal(vtlpWarp(0, alpha, SR), 0);
    assert.ok(Math.abs(vtlpWarp(NYQ, alpha, SR) - NYQ) < 1e-9, `alpha ${alpha}: Nyquist stays Nyquist`);
    // low frequencies (formants F1, F2) are scaled by alpha
    assert.ok(Math.abs(vtlpWarp(1000, alpha, SR) - 1000 * alpha) < 1e-9);
    let prev = -1;
    for (let f = 0; f <= NYQ; f += 10) {
      const w = vtlpWarp(f, alpha, SR);
      assert.ok(w > prev, `alpha ${alpha}: increasing at ${f} Hz`);
      // no jump: a 10 Hz step moves the warped frequency by well under 15 Hz (both slopes are < 1.3)
      if (prev >= 0) assert.ok(w - prev < 15, `alpha ${alpha}: continuous at ${f} Hz`);
      prev = w;
    }
    // and the two pieces meet where they change
    const edge = (4800 * Math.min(alpha, 1)) / alpha;
    assert.ok(Math.abs(vtlpWarp(edge + 1e-6, alpha, SR) - vtlpWarp(edge - 1e-6, alpha, SR)) < 1e-4);
  }
});

test('melFilterbank at warp 1 is the run-time filterbank; at 1.1 the low bands move up', () => {
  const plain = melFilterbank(24, 512, SR, 60, 7800);
  assert.deepEqual(melFilterbank(24, 512, SR, 60, 7800, 1), plain);
  const up = melFilterbank(24, 512, SR, 60, 7800, 1.1);
  assert.equal(up.length, plain.length);
  // the centre of mass of a low band's weights, in bins
  const centre = (b: { start: number; weights: Float64Array }): number => {
    let s = 0, w = 0;
    b.weights.forEach((v, k) => { s += v * (b.start + k); w += v; });
    return s / w;
  };
  for (const band of [6, 10, 14]) {
    const ratio = centre(up[band]) / centre(plain[band]);
    assert.ok(ratio > 1.05 && ratio < 1.15, `band ${band}: centre moved by ${ratio.toFixed(3)}`);
  }
});
