import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  filterSymmetric, gaussianKernel, savitzkyGolayKernel, smoothMeshRun, smoothMeshRunStreaming, fitSimilarity, applySimilarity, invertSimilarity, transformMesh,
  DEFAULT_SMOOTHING, type Similarity, type SmoothingParams,
} from '../src/engine/face/smoothing.js';
import { pairJitter, lipSeriesRetention } from '../src/engine/face/metrics.js';
import { lipGap } from '../src/engine/face/measures.js';
import { JAW_POINTS, LIP_POINTS, LM, RIGID_POINTS } from '../src/engine/face/landmarks.js';

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

/**
 * The smoothing as first written, holding the whole run: every coordinate's series filtered with
 * filterSymmetric. The oracle for the streamed version, which must give the same bits.
 */
function smoothWholeRun(meshes: Float32Array[], params: SmoothingParams): Float64Array[] {
  const T = meshes.length;
  const len = meshes[0].length, P = len / 3;
  const transform = (sim: Similarity, src: ArrayLike<number>, dst: Float64Array): Float64Array => transformMesh(sim, src, dst, P);
  const rigid = RIGID_POINTS.filter((i) => i < P);
  const ref = new Float64Array(len);
  const middle = Float64Array.from(meshes[Math.floor(T / 2)]);
  const scratch = new Float64Array(len);
  for (const m of meshes) {
    transform(invertSimilarity(fitSimilarity(middle, m, rigid)), m, scratch);
    for (let k = 0; k < len; k++) ref[k] += scratch[k] / T;
  }
  const poses = meshes.map((m) => fitSimilarity(ref, m, rigid));
  const aligned = meshes.map((m, t) => transform(invertSimilarity(poses[t]), m, new Float64Array(len)));
  for (let t = 1; t < T; t++) {
    while (poses[t].angle - poses[t - 1].angle > Math.PI) poses[t].angle -= 2 * Math.PI;
    while (poses[t].angle - poses[t - 1].angle < -Math.PI) poses[t].angle += 2 * Math.PI;
  }
  const pk = savitzkyGolayKernel(Math.min(params.poseHalf, Math.floor((T - 1) / 2)));
  const sm = (['tx', 'ty', 'ls', 'angle'] as const).map((k) => filterSymmetric(poses.map((p) => p[k]), pk));
  const kernels = [
    gaussianKernel(params.faceSigma),
    gaussianKernel(params.rigidSigma),
    savitzkyGolayKernel(Math.min(params.jawHalf, Math.floor((T - 1) / 2))),
    savitzkyGolayKernel(Math.min(params.lipHalf, Math.floor((T - 1) / 2))),
  ];
  const kind = (i: number): number => (LIP_POINTS.includes(i) ? 3 : JAW_POINTS.includes(i) ? 2 : rigid.includes(i) ? 1 : 0);
  for (let i = 0; i < P; i++) {
    for (let c = 0; c < 3; c++) {
      const f = filterSymmetric(aligned.map((a) => a[i * 3 + c]), kernels[kind(i)]);
      for (let t = 0; t < T; t++) aligned[t][i * 3 + c] = f[t];
    }
  }
  return aligned.map((a, t) => transform({ tx: sm[0][t], ty: sm[1][t], ls: sm[2][t], angle: sm[3][t] }, a, a));
}

test('streamed smoothing gives the whole-run smoothing to the last bit, reading each mesh three times in order and holding a window, not the run', () => {
  const r = rng(11);
  for (const T of [3, 4, 7, 18, 37, 38, 120]) {
    for (const params of [DEFAULT_SMOOTHING, { rigidSigma: 2, faceSigma: 0, jawHalf: 5, lipHalf: 1, poseHalf: 4 }]) {
      const meshes: Float32Array[] = [];
      let a = r() * 6 - 3;
      for (let t = 0; t < T; t++) {
        a += (r() - 0.5) * 1.5; // a head roll wandering across the ±pi seam
        const c = Math.cos(a) * 100, s = Math.sin(a) * 100;
        meshes.push(Float32Array.from({ length: 468 * 3 }, (_, k) => {
          const i = Math.floor(k / 3), x = Math.sin(i * 1.7), y = Math.cos(i * 0.9);
          return k % 3 === 0 ? 500 + c * x - s * y + r() * 2 : k % 3 === 1 ? 300 + s * x + c * y + r() * 2 : r() * 40;
        }));
      }
      const want = smoothWholeRun(meshes, params);
      const reads = new Array<number>(T).fill(0);
      let lastRead = -1, emitted = -1, ahead = 0, raws = 0;
      smoothMeshRunStreaming(
        T,
        (t) => {
          reads[t]++;
          lastRead = t;
          return meshes[t];
        },
        (t, m) => {
          assert.equal(t, emitted + 1, 'meshes come out in frame order');
          emitted = t;
          ahead = Math.max(ahead, lastRead - t);
          for (let k = 0; k < m.length; k++) assert.ok(Object.is(m[k], want[t][k]), `T ${T} frame ${t} value ${k}: ${m[k]} vs ${want[t][k]}`);
        },
        params,
        (t) => {
          raws++;
          assert.equal(reads[t], 3, 'a mesh is handed back after its last read');
        },
      );
      assert.equal(emitted, T - 1);
      assert.equal(raws, T);
      assert.deepEqual(reads, new Array<number>(T).fill(3));
      assert.ok(ahead <= 18, `reads run at most the widest kernel's half ahead of the output (${ahead})`);
    }
  }
});
