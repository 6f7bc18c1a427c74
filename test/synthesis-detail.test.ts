import { test } from 'node:test';
import assert from 'node:assert/strict';
import { laplacianVariance, restoreDetail, MAX_DETAIL_GAIN } from '../src/engine/synthesis/detail.js';

const W = 64, H = 48;

/** Smooth shading plus fine texture, like skin with stubble. */
function textured(seed: number): Float32Array {
  const out = new Float32Array(W * H * 3);
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const base = 120 + 40 * Math.sin(x / 9) + 20 * Math.cos(y / 7);
      const grain = 30 * (rand() - 0.5);
      for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = base + grain * (c === 0 ? 1 : 0.8);
    }
  return out;
}

/** What a half-pixel resample does to fine detail: average each pixel with its right neighbour. */
function halfPixelShift(src: Float32Array): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++)
      for (let c = 0; c < 3; c++) out[(y * W + x) * 3 + c] = 0.5 * (src[(y * W + x) * 3 + c] + src[(y * W + Math.min(W - 1, x + 1)) * 3 + c]);
  return out;
}

const box = { x: 8, y: 8, w: 48, h: 32 };

test('detail: a softened patch gets its fine detail back to the source level', () => {
  const src = textured(7);
  const target = laplacianVariance(src, W, H, box);
  const soft = halfPixelShift(src);
  const before = laplacianVariance(soft, W, H, box);
  assert.ok(before < 0.8 * target, `the shift softens (${before} vs ${target})`);
  const k = restoreDetail(soft, W, H, box, target);
  assert.ok(k > 0 && k <= MAX_DETAIL_GAIN, `gain ${k}`);
  const after = laplacianVariance(soft, W, H, box);
  assert.ok(Math.abs(after / target - 1) < 0.05 || k === MAX_DETAIL_GAIN, `restored ${after} vs source ${target}`);
  // the smooth shading (low band) is untouched: mean level stays
  let d = 0;
  for (let i = 0; i < src.length; i++) d += soft[i] - src[i];
  assert.ok(Math.abs(d / src.length) < 0.5, `mean shift ${d / src.length}`);
});

test('detail: a patch already as sharp as the source is left alone', () => {
  const src = textured(3);
  const copy = src.slice();
  const k = restoreDetail(copy, W, H, box, laplacianVariance(src, W, H, box) * 0.9);
  assert.equal(k, 0);
  assert.deepEqual(copy, src);
});

test('detail: the gain is capped (a flat patch is not turned into noise)', () => {
  const flat = new Float32Array(W * H * 3).fill(128);
  for (let i = 0; i < flat.length; i += 97) flat[i] += 1; // almost no detail
  const k = restoreDetail(flat, W, H, box, 1e6);
  assert.ok(k <= MAX_DETAIL_GAIN);
});

test('detail: pixels the warp left empty inside the box do not stop the restoration', () => {
  // a softened patch whose top-right corner the warp never reached (zeros, valid 0), as where a
  // nose close above the lips cuts the mask short
  const src = textured(11);
  const target = laplacianVariance(src, W, H, box);
  const soft = halfPixelShift(src);
  const valid = new Float32Array(W * H).fill(1);
  for (let y = 0; y < 20; y++)
    for (let x = 40; x < W; x++) {
      valid[y * W + x] = 0;
      for (let c = 0; c < 3; c++) soft[(y * W + x) * 3 + c] = 0;
    }
  const warpedBox = { x: box.x, y: 21, w: box.w, h: box.y + box.h - 21 };
  const want = laplacianVariance(src, W, H, warpedBox);
  // without the mask the empty corner's edge counts as detail, and the lips get too little back
  const blind = soft.slice();
  restoreDetail(blind, W, H, box, target);
  const short = laplacianVariance(blind, W, H, warpedBox);
  assert.ok(short < 0.85 * want, `unmasked: ${short} vs source ${want}`);
  // with it, the detail over the warped part of the box is back at the source's level
  const k = restoreDetail(soft, W, H, box, target, undefined, valid);
  assert.ok(k > 0, `gain ${k}`);
  const after = laplacianVariance(soft, W, H, warpedBox);
  assert.ok(Math.abs(after / want - 1) < 0.1 || k === MAX_DETAIL_GAIN, `restored ${after} vs source ${want}`);
});
