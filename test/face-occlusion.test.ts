/**
 * The occlusion rule reads a track's mouth patches a few times over instead of holding them; its
 * per-cell median must be the one sorting each column gives (the oracle below), and patches must
 * come back from their packed form exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRID_H, GRID_W, packPatch, unpackPatch, type MouthPatch } from '../src/engine/face/appearance.js';
import { OCCLUSION_OFFSET, OCCLUSION_RANGE, patchDistance, trackOcclusion } from '../src/engine/face/occlusion.js';

let seed = 7;
const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

/** A patch like appearance.ts makes: colours over a cheek reference, rounded to thousandths. */
function patch(occluded: boolean): MouthPatch {
  const cells = new Float64Array(GRID_W * GRID_H * 3);
  for (let i = 0; i < cells.length; i++) {
    const ratio = occluded ? 0.4 + rnd() * 0.3 : 0.9 + rnd() * 0.2;
    cells[i] = Math.round(ratio * 1000) / 1000;
  }
  cells[5] = Math.round((255 / 8) * 1000) / 1000; // the largest value a patch can hold
  cells[6] = 0;
  const ring = Uint8Array.from({ length: GRID_W * GRID_H }, (_, i) => (i % 5 === 0 ? 0 : 1));
  return { cells, ring, inFrame: 0.75 };
}

function sortedMedian(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The rule written out plainly, holding every patch. */
function oracle(patches: MouthPatch[], usable: boolean[]): number[] {
  const idx = patches.map((_, i) => i).filter((i) => usable[i]);
  const basis = idx.length >= 5 ? idx : patches.map((_, i) => i);
  const ref = Array.from(patches[0].cells, (_, k) => sortedMedian(basis.map((i) => patches[i].cells[k])));
  const d = patches.map((p) => patchDistance(p, ref));
  const med = sortedMedian(basis.map((i) => d[i]));
  const mad = sortedMedian(basis.map((i) => Math.abs(d[i] - med)));
  const offset = Math.max(OCCLUSION_OFFSET, 4 * 1.4826 * mad);
  return d.map((x) => Math.round(Math.max(0, Math.min(1, (x - med - offset) / OCCLUSION_RANGE)) * 1000) / 1000);
}

test('a patch comes back from its packed form exactly', () => {
  for (let t = 0; t < 20; t++) {
    const p = patch(t % 3 === 0);
    const q = unpackPatch(packPatch(p));
    assert.deepEqual(Array.from(q.cells), Array.from(p.cells));
    assert.deepEqual(Array.from(q.ring), Array.from(p.ring));
    assert.equal(q.inFrame, p.inFrame);
  }
});

test('occlusion from patches read one at a time equals the rule over all of them held (odd and even counts)', () => {
  for (const n of [5, 6, 37, 120, 121]) {
    const patches = Array.from({ length: n }, (_, i) => patch(i >= n - 8 && i < n - 3));
    const usable = patches.map((_, i) => i % 7 !== 3);
    const packed = patches.map(packPatch);
    const got = trackOcclusion((k) => unpackPatch(packed[k]), n, usable).occlusion;
    assert.deepEqual(got, oracle(patches, usable), `n = ${n}`);
    if (n > 20) assert.ok(got.slice(n - 8, n - 3).every((o) => o > 0.5) && got.slice(0, n - 8).every((o) => o === 0), JSON.stringify(got));
  }
});

test('fewer than five patches give no occlusion evidence', () => {
  const patches = Array.from({ length: 4 }, () => patch(false));
  assert.deepEqual(trackOcclusion((k) => patches[k], 4, [true, true, true, true]).occlusion, [0, 0, 0, 0]);
});
