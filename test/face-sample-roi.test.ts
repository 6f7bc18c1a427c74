import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sampleRoi, MESH_INPUT } from '../src/engine/face/mesh-runner.js';

/** A frame with texture everywhere, so any sampling difference shows. */
function frame(w: number, h: number): Uint8Array {
  const d = new Uint8Array(w * h * 3);
  for (let i = 0; i < d.length; i++) d[i] = (i * 37 + ((i / 3) | 0) * 11) % 256;
  return d;
}

/** The same content with a black border of `pad` pixels. */
function padded(d: Uint8Array, w: number, h: number, pad: number): Uint8Array {
  const W = w + 2 * pad;
  const out = new Uint8Array(W * (h + 2 * pad) * 3);
  for (let y = 0; y < h; y++) out.set(d.subarray(y * w * 3, (y + 1) * w * 3), ((y + pad) * W + pad) * 3);
  return out;
}

test('ROI sampling: the in-frame fast path equals the bounds-checked path', () => {
  const w = 300, h = 220, pad = 200;
  const d = frame(w, h);
  const big = padded(d, w, h, pad);
  for (const roi of [
    { cx: 150, cy: 110, size: 120, angle: 0.3 },
    { cx: 61, cy: 61, size: 120, angle: 0 }, // touches the border: bounds-checked path in the small frame
    { cx: 140, cy: 100, size: 90.5, angle: -1.1 },
  ]) {
    const a = new Float32Array(MESH_INPUT * MESH_INPUT * 3);
    const b = new Float32Array(MESH_INPUT * MESH_INPUT * 3);
    sampleRoi({ width: w, height: h, data: d }, roi, a);
    sampleRoi({ width: w + 2 * pad, height: h + 2 * pad, data: big }, { ...roi, cx: roi.cx + pad, cy: roi.cy + pad }, b);
    let max = 0;
    for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
    assert.ok(max < 1e-4, `max difference ${max} for ${JSON.stringify(roi)}`);
  }
});

test('ROI sampling: outside the frame reads black', () => {
  const w = 64, h = 64;
  const d = new Uint8Array(w * h * 3).fill(200);
  const out = new Float32Array(MESH_INPUT * MESH_INPUT * 3);
  sampleRoi({ width: w, height: h, data: d }, { cx: 0, cy: 32, size: 60, angle: 0 }, out);
  assert.equal(out[(96 * MESH_INPUT + 5) * 3], 0, 'left half of the crop is outside');
  assert.ok(Math.abs(out[(96 * MESH_INPUT + 150) * 3] - 200 / 255) < 1e-6, 'right half is the frame');
});
