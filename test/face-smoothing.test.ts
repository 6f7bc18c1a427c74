import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterSymmetric, gaussianKernel, savitzkyGolayKernel, smoothMeshRun, fitSimilarity, applySimilarity } from '../src/engine/face/smoothing.js';
import { pairJitter, lipSeriesRetention } from '../src/engine/face/metrics.js';
import { lipGap } from '../src/engine/face/measures.js';
import { LIP_POINTS, LM } from '../src/engine/face/landmarks.js';

/** Deterministic PRNG (mulberry32) + Box-Muller noise, so the tests are repeatable. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-12)) * Math.cos(2 * Math.PI * r());
}

test('symmetric filters reproduce a ramp exactly, ends included (no lag, no end bending)', () => {
  const ramp = Array.from({ length: 40 }, (_, i) => 3 + 0.7 * i);
  for (const k of [gaussianKernel(3), savitzkyGolayKernel(3)]) {
    const y = filterSymmetric(ramp, k);
    for (let i = 0; i < ramp.length; i++) assert.ok(Math.abs(y[i] - ramp[i]) < 1e-9, `index ${i}: ${y[i]} vs ${ramp[i]}`);
  }
});

test('zero phase: a filtered sine peaks where the input does', () => {
  const n = 200;
  const x = Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * i) / 25));
  const y = filterSymmetric(x, gaussianKernel(2));
  // cross-correlation peak at lag 0
  let bestLag = 99, best = -Infinity;
  for (let lag = -5; lag <= 5; lag++) {
    let s = 0;
    for (let i = 20; i < n - 20; i++) s += x[i] * y[i + lag];
    if (s > best) {
      best = s;
      bestLag = lag;
    }
  }
  assert.equal(bestLag, 0);
  // a Savitzky-Golay quadratic keeps a 25-frame sine's amplitude almost entirely
  const z = filterSymmetric(x, savitzkyGolayKernel(2));
  assert.ok(Math.max(...z.slice(20, -20)) > 0.97);
});

test('similarity fit recovers a known transform', () => {
  const r = rng(1);
  const src = Array.from({ length: 468 * 3 }, () => r() * 100);
  const t = { tx: 12, ty: -7, ls: Math.log(1.3), angle: 0.2 };
  const dst = src.slice();
  for (let i = 0; i < 468; i++) [dst[i * 3], dst[i * 3 + 1]] = applySimilarity(t, src[i * 3], src[i * 3 + 1]);
  const f = fitSimilarity(src, dst, [1, 5, 10, 33, 263, 152]);
  assert.ok(Math.abs(f.tx - 12) < 1e-6 && Math.abs(f.ty + 7) < 1e-6 && Math.abs(f.angle - 0.2) < 1e-9 && Math.abs(f.ls - Math.log(1.3)) < 1e-9);
});

/** Synthetic talking head: a random rigid shape moving and turning, lips opening as a sine, plus noise. */
function syntheticRun(T: number, noise: number, seed: number): { noisy: number[][]; clean: number[][] } {
  const r = rng(seed);
  const P = 468;
  const base = Array.from({ length: P * 3 }, () => (r() - 0.5) * 200);
  // eyes on a horizontal line so the eye distance is ~100 px
  base[LM.rightEyeOuter * 3] = -50; base[LM.rightEyeOuter * 3 + 1] = -30;
  base[LM.leftEyeOuter * 3] = 50; base[LM.leftEyeOuter * 3 + 1] = -30;
  const lipSet = new Set(LIP_POINTS);
  const clean: number[][] = [], noisy: number[][] = [];
  for (let t = 0; t < T; t++) {
    const open = 12 * Math.max(0, Math.sin((2 * Math.PI * t) / 12)); // speech-rate opening, ~0.5 s
    const pose = { tx: 300 + 2 * t, ty: 200 + 10 * Math.sin(t / 15), ls: Math.log(1 + 0.05 * Math.sin(t / 20)), angle: 0.1 * Math.sin(t / 10) };
    const m: number[] = new Array(P * 3);
    for (let i = 0; i < P; i++) {
      let x = base[i * 3], y = base[i * 3 + 1];
      if (lipSet.has(i)) y += i === LM.lowerLipInner ? open : 0;
      [m[i * 3], m[i * 3 + 1]] = applySimilarity(pose, x, y);
      m[i * 3 + 2] = base[i * 3 + 2];
    }
    clean.push(m);
    noisy.push(m.map((v) => v + noise * gauss(r)));
  }
  return { noisy, clean };
}

test('smoothing cuts rigid-point jitter on a moving noisy head while the lip-gap curve keeps its peaks', () => {
  const { noisy } = syntheticRun(150, 1.0, 7);
  const smooth = smoothMeshRun(noisy);
  const jit = (ms: ArrayLike<number>[]): number => {
    let s = 0;
    for (let t = 1; t < ms.length; t++) s += pairJitter(ms[t - 1], ms[t]);
    return s / (ms.length - 1);
  };
  const jr = jit(noisy), js = jit(smooth);
  assert.ok(js < 0.5 * jr, `jitter raw ${jr.toFixed(4)} smoothed ${js.toFixed(4)}`);
  const lr = noisy.map(lipGap), ls = smooth.map((m) => lipGap(m));
  const ret = lipSeriesRetention([lr], [ls]);
  assert.ok(ret.correlation > 0.9, `correlation ${ret.correlation}`);
  assert.ok(ret.peakRatio > 0.85, `peak ratio ${ret.peakRatio}`);
  assert.ok(ret.rangeRatio > 0.85, `range ratio ${ret.rangeRatio}`);
});

test('smoothing does not lag head motion: smoothed nose follows the clean path', () => {
  const { noisy, clean } = syntheticRun(100, 0.8, 3);
  const smooth = smoothMeshRun(noisy);
  let errS = 0, errN = 0;
  for (let t = 0; t < 100; t++) {
    const i = LM.noseTip * 3;
    errS += Math.hypot(smooth[t][i] - clean[t][i], smooth[t][i + 1] - clean[t][i + 1]);
    errN += Math.hypot(noisy[t][i] - clean[t][i], noisy[t][i + 1] - clean[t][i + 1]);
  }
  assert.ok(errS < 0.6 * errN, `mean error smoothed ${errS / 100} vs raw ${errN / 100}`);
});
