import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySimilarity3, fitSimilarity3 } from '../src/engine/face/align3d.js';

function rotation(yaw: number, pitch: number, roll: number): number[] {
  const cy = Math.cos(yaw), sy = Math.sin(yaw), cp = Math.cos(pitch), sp = Math.sin(pitch), cr = Math.cos(roll), sr = Math.sin(roll);
  const Ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const Rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const Rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]): number[] => Array.from({ length: 9 }, (_, k) => a[Math.floor(k / 3) * 3] * b[k % 3] + a[Math.floor(k / 3) * 3 + 1] * b[3 + (k % 3)] + a[Math.floor(k / 3) * 3 + 2] * b[6 + (k % 3)]);
  return mul(Rz, mul(Rx, Ry));
}

test('3D alignment recovers a head turn with scale and shift exactly', () => {
  let s = 3;
  const rand = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) - 0.5;
  const n = 40;
  const src = Array.from({ length: n * 3 }, () => 100 * rand());
  const R = rotation(0.6, -0.2, 0.1);
  const dst: number[] = [];
  for (let i = 0; i < n; i++) {
    const [x, y, z] = [src[i * 3], src[i * 3 + 1], src[i * 3 + 2]];
    for (let a = 0; a < 3; a++) dst.push(1.3 * (R[a * 3] * x + R[a * 3 + 1] * y + R[a * 3 + 2] * z) + [5, -7, 2][a]);
  }
  const idx = Array.from({ length: n }, (_, i) => i);
  const fit = fitSimilarity3(src, dst, idx);
  assert.ok(Math.abs(fit.scale - 1.3) < 1e-6, `scale ${fit.scale}`);
  let err = 0;
  for (const i of idx) {
    const p = applySimilarity3(fit, src[i * 3], src[i * 3 + 1], src[i * 3 + 2]);
    err = Math.max(err, Math.abs(p[0] - dst[i * 3]), Math.abs(p[1] - dst[i * 3 + 1]), Math.abs(p[2] - dst[i * 3 + 2]));
  }
  assert.ok(err < 1e-6, `max error ${err}`);
});
