import { test } from 'node:test';
import assert from 'node:assert/strict';
import { warpTriangles } from '../src/engine/synthesis/warp.js';
import { delaunay } from '../src/engine/synthesis/delaunay.js';
import { planVideo } from '../src/engine/synthesis/plan.js';
import { renderFrame, wholeFramePatch, cropPatch, sourceRegion } from '../src/engine/synthesis/render.js';
import { renderVideo } from '../src/engine/synthesis/stream.js';
import { targetControlPoints } from '../src/engine/synthesis/geometry.js';
import { fillPolygon } from '../src/engine/synthesis/raster-ops.js';
import { INNER_LIP } from '../src/engine/synthesis/landmarks.js';
import { splitOpening } from '../src/engine/synthesis/mouth-interior.js';
import type { PlanEntry } from '../src/engine/synthesis/types.js';
import type { RgbFrame } from '../src/engine/media/types.js';
import { fakeTrack, openMesh, texturedFrame } from './synthesis-fixture.js';

type Edit = Extract<PlanEntry, { action: 'edit' }>;

test('piecewise-affine warp of a known affine mapping reproduces the expected pixels', () => {
  // source: a linear ramp per channel, which bilinear sampling reproduces exactly
  const sw = 120, sh = 100;
  const f = (x: number, y: number): [number, number, number] => [20 + x, 30 + 2 * y, 220 - x - y];
  const data = new Uint8Array(sw * sh * 3);
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) data.set(f(x, y).map(Math.round), (y * sw + x) * 3);
  // integer coefficients: the stored ramp is exact, so bilinear sampling must reproduce f anywhere
  for (let y = 0; y < sh; y++) for (let x = 0; x < sw; x++) assert.deepEqual(Array.from(data.subarray((y * sw + x) * 3, (y * sw + x) * 3 + 3)), f(x, y));
  // destination = rotate 20°, scale 1.3, shift (40, 25)
  const c = Math.cos(0.35) * 1.3, s = Math.sin(0.35) * 1.3;
  const A = (x: number, y: number): [number, number] => [c * x - s * y + 40, s * x + c * y + 25];
  const srcPts: number[] = [], dstPts: number[] = [];
  for (const y of [10, 50, 90]) for (const x of [10, 60, 110]) { srcPts.push(x, y); dstPts.push(...A(x, y)); }
  const tri = delaunay(dstPts.filter((_, i) => i % 2 === 0), dstPts.filter((_, i) => i % 2 === 1));
  assert.equal(tri.length / 3, 8);
  const region: [number, number, number, number] = [0, 0, 200, 220];
  const out = warpTriangles({ x: 0, y: 0, width: sw, height: sh, data }, srcPts, dstPts, tri, region);
  const inv = (x: number, y: number): [number, number] => {
    const X = x - 40, Y = y - 25, d = c * c + s * s;
    return [(c * X + s * Y) / d, (-s * X + c * Y) / d];
  };
  let covered = 0, maxErr = 0;
  for (let y = 0; y < 220; y++) {
    for (let x = 0; x < 200; x++) {
      const [u, v] = inv(x, y);
      const inside = u > 10.5 && u < 109.5 && v > 10.5 && v < 89.5;
      const valid = out.valid[y * 200 + x] === 1;
      const outside = u < 9.5 || u > 110.5 || v < 9.5 || v > 90.5;
      if (inside) assert.ok(valid, `(${x},${y}) should be covered`);
      if (outside) assert.ok(!valid, `(${x},${y}) should not be covered`);
      if (!valid) continue;
      covered++;
      const e = f(u, v);
      for (let k = 0; k < 3; k++) maxErr = Math.max(maxErr, Math.abs(out.rgb[(y * 200 + x) * 3 + k] - e[k]));
    }
  }
  assert.ok(covered > 100 * 80 * 1.3 * 1.3 * 0.9);
  assert.ok(maxErr < 1e-3, `max error ${maxErr}`);
});

function editEntry(frame: number, source: number, openBy = 0): Edit {
  return { frame, action: 'edit', source, matchCost: 0, transitionCost: 0, openBy };
}

test('rendering changes only pixels inside the mask region and leaves the rest bit-identical', () => {
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.2 }]);
  const plan = planVideo(doc, [{ lipGap: 0.2, jaw: 1.1, width: 0.55 }, undefined]);
  const g = plan.shots[0].geometry!;
  const target = texturedFrame(0, 512, 512, 1);
  const source = texturedFrame(1, 512, 512, 2);
  const before = Uint8Array.from(target.data);
  const res = renderFrame(target, openMesh(0), { frame: 1, mesh: openMesh(0.2), patch: wholeFramePatch(source) }, editEntry(0, 1), g);
  assert.deepEqual(target.data, before, 'input frame is not modified');
  const [rx, ry, rw, rh] = res.region;
  assert.ok(rw > 50 && rh > 50 && rw < 300 && rh < 300, `region ${res.region}`);
  let changedInside = 0;
  for (let y = 0; y < 512; y++) {
    for (let x = 0; x < 512; x++) {
      const o = (y * 512 + x) * 3;
      const same = res.frame.data[o] === before[o] && res.frame.data[o + 1] === before[o + 1] && res.frame.data[o + 2] === before[o + 2];
      const inRegion = x >= rx && x < rx + rw && y >= ry && y < ry + rh;
      if (!inRegion) assert.ok(same, `pixel (${x},${y}) outside the region changed`);
      else if (!same) changedInside++;
    }
  }
  assert.ok(changedInside > 2000, `only ${changedInside} pixels changed`);
  assert.ok(res.changed >= changedInside);
  // the region's border rows and columns are outside the feathered mask: unchanged too
  for (let x = rx; x < rx + rw; x++) for (const y of [ry, ry + rh - 1]) {
    const o = (y * 512 + x) * 3;
    assert.equal(res.frame.data[o], before[o]);
  }
});

test('a source crop renders exactly like the whole source frame', () => {
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.15 }]);
  const g = planVideo(doc, [{ lipGap: 0.15, jaw: 1, width: 0.55 }, undefined]).shots[0].geometry!;
  const target = texturedFrame(0, 512, 512, 3);
  const source = texturedFrame(1, 512, 512, 4);
  const whole = renderFrame(target, openMesh(0), { frame: 1, mesh: openMesh(0.15), patch: wholeFramePatch(source) }, editEntry(0, 1), g);
  const r = sourceRegion(openMesh(0.15), g, 512, 512)!;
  assert.ok(r[2] * r[3] < 512 * 512 / 3, 'the crop is much smaller than the frame');
  const cropped = renderFrame(target, openMesh(0), { frame: 1, mesh: openMesh(0.15), patch: cropPatch(source, r) }, editEntry(0, 1), g);
  assert.deepEqual(cropped.frame.data, whole.frame.data);
});

function lumaIn(frame: RgbFrame, xs: number[], ys: number[]): number {
  const m = new Float32Array(frame.width * frame.height);
  fillPolygon(m, frame.width, frame.height, xs, ys, 1);
  let s = 0, n = 0;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    s += 0.299 * frame.data[i * 3] + 0.587 * frame.data[i * 3 + 1] + 0.114 * frame.data[i * 3 + 2];
    n++;
  }
  assert.ok(n > 0);
  return s / n;
}

test('the closed-mouth opener parts the lips and darkens the opening', () => {
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.004 }]);
  const g = planVideo(doc, [{ lipGap: 0, jaw: 0.9, width: 0.55 }, undefined]).shots[0].geometry!;
  // a skin-coloured frame with the fixture's lips painted red
  const frame = texturedFrame(0, 512, 512, 5);
  const skin = (i: number): void => { frame.data[i * 3] = 205; frame.data[i * 3 + 1] = 160; frame.data[i * 3 + 2] = 140; };
  for (let i = 0; i < 512 * 512; i++) skin(i);
  const mesh = openMesh(0);
  const entry = editEntry(0, 0, 0.25);
  const res = renderFrame(frame, mesh, { frame: 0, mesh, patch: wholeFramePatch(frame) }, entry, g);
  const dst = targetControlPoints(mesh, mesh, g, 0.25);
  const xs: number[] = [], ys: number[] = [];
  for (const i of INNER_LIP) { const k = g.points.indexOf(i); xs.push(dst[k * 2]); ys.push(dst[k * 2 + 1]); }
  // the new opening is a real gap: upper and lower inner lip centres (13, 14) are apart
  const k13 = g.points.indexOf(13), k14 = g.points.indexOf(14);
  const gapPx = Math.hypot(dst[k14 * 2] - dst[k13 * 2], dst[k14 * 2 + 1] - dst[k13 * 2 + 1]);
  assert.ok(gapPx > 15, `gap ${gapPx}px`);
  const lBefore = lumaIn(frame, xs, ys);
  const lAfter = lumaIn(res.frame, xs, ys);
  assert.ok(lAfter < lBefore * 0.5, `opening luma ${lAfter} vs ${lBefore}`);
  // without opening, the same render keeps the area skin-bright
  const plain = renderFrame(frame, mesh, { frame: 0, mesh, patch: wholeFramePatch(frame) }, editEntry(0, 0, 0), g);
  assert.ok(lumaIn(plain.frame, xs, ys) > lBefore * 0.9);
});

test('renderVideo passes frames through byte-identical and reports every frame', async () => {
  const doc = fakeTrack([{ gap: 0.1 }, { noFace: true }, { gap: 0.2, visibility: 0, hiddenReason: 'occluded' }, { gap: 0.05 }, { gap: 0.15 }]);
  const plan = planVideo(doc, [{ lipGap: 0.15, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, undefined, { lipGap: 0.05, jaw: 1, width: 0.55 }]);
  const frames = [0, 1, 2, 3, 4].map((i) => texturedFrame(i, 512, 512, 10 + i));
  const copies = frames.map((f) => Uint8Array.from(f.data));
  let opened = 0;
  async function* open(): AsyncGenerator<RgbFrame> {
    opened++;
    for (const f of frames) yield { ...f, data: f.data.slice() }; // a decoder hands out fresh buffers
  }
  const out = [];
  for await (const r of renderVideo(doc, plan, open)) out.push(r);
  assert.equal(opened, 2);
  assert.deepEqual(out.map((r) => r.report.action), ['edit', 'pass', 'pass', 'pass', 'edit']);
  assert.deepEqual(out.map((r) => r.report.reason), [undefined, 'no-face', 'occluded', 'no-target', undefined]);
  for (const i of [1, 2, 3]) assert.deepEqual(out[i].frame.data, copies[i]);
  for (const i of [0, 4]) assert.notDeepEqual(out[i].frame.data, copies[i]);
  assert.equal(out[0].report.source, 4);
  assert.equal(out[4].report.source, 3);
  // inputs untouched
  frames.forEach((f, i) => assert.deepEqual(f.data, copies[i]));
});

test('the report lists every frame with its source or pass reason and merges render timings', async () => {
  const { buildReport } = await import('../src/engine/synthesis/report.js');
  const doc = fakeTrack([{ gap: 0.1 }, { noFace: true }, { gap: 0.2, visibility: 0.1, hiddenReason: 'profile' }, { gap: 0.004 }]);
  const plan = planVideo(doc, [{ lipGap: 0.2, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.004, jaw: 1, width: 0.55 }]);
  const report = buildReport(plan, [{ frame: 0, action: 'edit', source: 0, renderMs: 4, changedRegion: [1, 2, 3, 4] }]);
  assert.equal(report.frames.length, 4);
  assert.deepEqual(report.frames.map((f) => f.action), ['edit', 'pass', 'pass', 'edit']);
  assert.deepEqual(report.frames.map((f) => f.reason), [undefined, 'no-face', 'profile', undefined]);
  assert.equal(report.frames[0].renderMs, 4);
  assert.deepEqual(report.frames[0].changedRegion, [1, 2, 3, 4]);
  assert.equal(typeof report.frames[3].source, 'number');
  assert.equal(report.totals.edited, 2);
  assert.equal(report.totals.occluded, 1);
  assert.equal(report.totals.noFace, 1);
  assert.equal(report.totals.meanRenderMs, 4);
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});

test('crops spilled to disk render exactly like crops kept in memory, and the spill file is removed', async () => {
  const { CropStore } = await import('../src/engine/synthesis/crop-store.js');
  const store = new CropStore(100);
  const small = { frame: 1, mesh: [1, 2, 3], patch: { x: 1, y: 2, width: 2, height: 2, data: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) } };
  const big = { frame: 2, mesh: [4], patch: { x: 0, y: 0, width: 10, height: 10, data: new Uint8Array(300).map((_, i) => i % 251) } };
  store.put(small);
  store.put(big);
  assert.equal(store.spilledCount, 1);
  assert.equal(store.memoryBytes, 12);
  assert.deepEqual(store.get(2), big);
  assert.deepEqual(store.get(1), small);
  store.delete(2);
  assert.equal(store.get(2), undefined);
  store.close();

  const doc = fakeTrack([{ gap: 0.1 }, { gap: 0.2 }, { gap: 0.05 }, { gap: 0.15 }]);
  const plan = planVideo(doc, [0.2, 0.05, 0.15, 0.1].map((g) => ({ lipGap: g, jaw: 0.9 + g, width: 0.55 })));
  const frames = [0, 1, 2, 3].map((i) => texturedFrame(i, 512, 512, 20 + i));
  async function* open(): AsyncGenerator<RgbFrame> {
    for (const f of frames) yield { ...f, data: f.data.slice() }; // a decoder hands out fresh buffers
  }
  const inMemory = [];
  for await (const r of renderVideo(doc, plan, open)) inMemory.push(r.frame.data);
  const spilled = [];
  for await (const r of renderVideo(doc, plan, open, { cropMemoryBytes: 0 })) spilled.push(r.frame.data);
  assert.equal(spilled.length, 4);
  for (let i = 0; i < 4; i++) assert.deepEqual(spilled[i], inMemory[i]);
  assert.ok(inMemory.some((d, i) => !d.every((v, k) => v === frames[i].data[k])), 'frames were edited');
});

test('the crop pass holds back when its memory is full instead of spilling crops the render is far from needing', async () => {
  const { CropStore } = await import('../src/engine/synthesis/crop-store.js');
  // each frame shows its target, so the plan takes every frame's mouth from itself: one crop a frame, used at once
  const gaps = [0.02, 0.2, 0.05, 0.25, 0.1, 0.3, 0.04, 0.22, 0.12, 0.28, 0.06, 0.18];
  const doc = fakeTrack(gaps.map((gap) => ({ gap })));
  const plan = planVideo(doc, gaps.map((g) => ({ lipGap: g, jaw: 0.9 + g, width: 0.55 })));
  const own = plan.entries.filter((e) => e && e.action === 'edit' && e.source === e.frame && !e.blend).length;
  assert.ok(own >= 10, `${own} frames take their own mouth`);
  const frames = gaps.map((_, i) => texturedFrame(i, 512, 512, 20 + i));
  async function* open(): AsyncGenerator<RgbFrame> {
    for (const f of frames) yield { ...f, data: f.data.slice() };
  }
  const ample = [];
  for await (const r of renderVideo(doc, plan, open)) ample.push(r.frame.data);
  // room for about one crop (RGB), and the render tells only its own frame's need: the in-memory decoder
  // could hand the crop pass every frame at once
  const sizes = doc.frames.map((f) => {
    const r = sourceRegion(f.faces[0].meshSmoothed!, plan.shots[0].geometry!, 512, 512)!;
    return r[2] * r[3] * 3;
  });
  const store = new CropStore(Math.round(1.5 * Math.max(...sizes)));
  const tight = [];
  for await (const r of renderVideo(doc, plan, open, { crops: store, cropLookahead: 1 })) tight.push(r.frame.data);
  assert.ok(store.spills <= 2, `${store.spills} crops spilled`);
  for (let i = 0; i < gaps.length; i++) assert.deepEqual(tight[i], ample[i]);
});

test('colour matching removes a smooth lighting difference between source and target skin', async () => {
  const { matchColour } = await import('../src/engine/synthesis/color-match.js');
  const w = 160, h = 120;
  const target = new Float32Array(w * h * 3);
  const warped = new Float32Array(w * h * 3);
  const skin = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const tex = 10 * Math.sin(x * 0.9) * Math.cos(y * 0.7);
      const base = [190 + tex, 140 + tex, 120 + tex];
      // the source was lit 25% darker on the left, 5% darker on the right, and a little bluer
      const light = 0.75 + 0.2 * (x / w);
      for (let c = 0; c < 3; c++) {
        target[i * 3 + c] = base[c];
        warped[i * 3 + c] = base[c] * light * (c === 2 ? 1.1 : 1);
      }
      // a hole where the mouths differ: excluded from the comparison
      skin[i] = Math.hypot(x - 80, y - 60) < 20 ? 0 : 1;
    }
  }
  const errBefore = meanAbs(warped, target);
  matchColour(warped, target, skin, w, h, 20);
  const errAfter = meanAbs(warped, target);
  assert.ok(errBefore > 15, `before ${errBefore}`);
  assert.ok(errAfter < 2.5, `after ${errAfter}`);
});

function meanAbs(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

test('a morph at weight 1 renders the blend source exactly; weight 0 renders the main source exactly', () => {
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.2 }, { gap: 0.1 }]);
  const g = planVideo(doc, [{ lipGap: 0.2, jaw: 1.1, width: 0.55 }, undefined, undefined]).shots[0].geometry!;
  const target = texturedFrame(0, 512, 512, 31);
  const a = { frame: 1, mesh: openMesh(0.2), patch: wholeFramePatch(texturedFrame(1, 512, 512, 32)) };
  const b = { frame: 2, mesh: openMesh(0.1), patch: wholeFramePatch(texturedFrame(2, 512, 512, 33)) };
  const onlyA = renderFrame(target, openMesh(0), a, editEntry(0, 1), g);
  const onlyB = renderFrame(target, openMesh(0), b, editEntry(0, 2), g);
  const w1 = renderFrame(target, openMesh(0), a, { ...editEntry(0, 1), blend: { source: 2, weight: 1 } }, g, {}, b);
  const w0 = renderFrame(target, openMesh(0), a, { ...editEntry(0, 1), blend: { source: 2, weight: 0 } }, g, {}, b);
  const half = renderFrame(target, openMesh(0), a, { ...editEntry(0, 1), blend: { source: 2, weight: 0.5 } }, g, {}, b);
  assert.deepEqual(w1.frame.data, onlyB.frame.data);
  assert.deepEqual(w0.frame.data, onlyA.frame.data);
  assert.notDeepEqual(half.frame.data, onlyA.frame.data);
  assert.notDeepEqual(half.frame.data, onlyB.frame.data);
});

test('rendering a frame with its own mouth leaves it unchanged (geometry and colour are consistent)', () => {
  const doc = fakeTrack([{ gap: 0.12 }, { gap: 0.05 }]);
  const g = planVideo(doc, [{ lipGap: 0.12, jaw: 1, width: 0.55 }, undefined]).shots[0].geometry!;
  const frame = texturedFrame(0, 512, 512, 41);
  const mesh = openMesh(0.12);
  // the same pixels and mesh presented as another frame, so the full warp and blend path runs
  const res = renderFrame(frame, mesh, { frame: 1, mesh, patch: wholeFramePatch(frame) }, editEntry(0, 1), g);
  let maxDiff = 0;
  for (let i = 0; i < frame.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(res.frame.data[i] - frame.data[i]));
  assert.ok(res.changed > 2000);
  assert.ok(maxDiff <= 1, `max difference ${maxDiff}`);
});

test('a frame given its own mouth is returned untouched, and edits fade next to passed-through frames', () => {
  const doc = fakeTrack([{ gap: 0.1 }, { gap: 0.12 }, { gap: 0.14 }, { gap: 0.16 }, { gap: 0.1, visibility: 0, hiddenReason: 'occluded' }, { gap: 0.2 }, { gap: 0.18 }, { gap: 0.16 }, { gap: 0.14 }]);
  const plan = planVideo(doc, [0.1, 0.12, 0.14, 0.16, 0.1, 0.2, 0.18, 0.16, 0.14].map((g) => ({ lipGap: g, jaw: 0.9 + g, width: 0.55 })));
  const strengths = plan.entries.map((e) => (e.action === 'edit' ? e.strength ?? 1 : null));
  assert.deepEqual(strengths, [1, 1, 0.66667, 0.33333, null, 0.33333, 0.66667, 1, 1]);
  const frame = texturedFrame(0, 512, 512, 51);
  const mesh = openMesh(0.1);
  const g = plan.shots[0].geometry!;
  const own = renderFrame(frame, mesh, { frame: 0, mesh, patch: wholeFramePatch(frame) }, editEntry(0, 0), g);
  assert.deepEqual(own.frame.data, frame.data);
  assert.equal(own.changed, 0);
  // a weaker edit (a morph part-way towards the frame's own mouth) moves pixels less than a full one
  const other = { frame: 5, mesh: openMesh(0.2), patch: wholeFramePatch(texturedFrame(5, 512, 512, 52)) };
  const full = renderFrame(frame, mesh, other, editEntry(0, 5), g);
  const weak = renderFrame(frame, mesh, other, { ...editEntry(0, 5), strength: 0.33 }, g);
  let dFull = 0, dWeak = 0;
  for (let i = 0; i < frame.data.length; i++) { dFull += Math.abs(full.frame.data[i] - frame.data[i]); dWeak += Math.abs(weak.frame.data[i] - frame.data[i]); }
  assert.ok(dWeak > 0.1 * dFull && dWeak < 0.6 * dFull, `weak ${dWeak} full ${dFull}`);
  const none = renderFrame(frame, mesh, other, { ...editEntry(0, 5), strength: 0 }, g);
  assert.deepEqual(none.frame.data, frame.data);
});

test('the opener calibration is monotone, zero for no extra gap, and follows the measured table', async () => {
  const { openingForGap } = await import('../src/engine/synthesis/opener-calibration.js');
  assert.equal(openingForGap(0), 0);
  assert.equal(openingForGap(-0.1), 0);
  assert.ok(Math.abs(openingForGap(0.025) - 0.09) < 1e-9);
  assert.ok(Math.abs(openingForGap(0.11) - 0.2) < 1e-9);
  assert.ok(Math.abs(openingForGap(0.314) - 0.4) < 1e-9);
  let prev = 0;
  for (let g = 0.001; g < 0.4; g += 0.001) {
    const o = openingForGap(g);
    assert.ok(o > prev && o >= g, `at ${g}: ${o}`);
    prev = o;
  }
});

test('on a turned head the mask still covers the old lips completely (no old lip corner or teeth beside the new mouth)', async () => {
  const { OUTER_LIP } = await import('../src/engine/synthesis/landmarks.js');
  const doc = fakeTrack([{ gap: 0.25 }, { gap: 0 }]);
  const plan = planVideo(doc, [{ lipGap: 0, jaw: 1, width: 0.55 }, undefined]);
  const g = plan.shots[0].geometry!;
  // the target: open mouth, head turned (nose tip moved most of the way to one cheek contour)
  const turned = openMesh(0.25);
  turned[1 * 3] = turned[454 * 3] - 0.2 * (turned[454 * 3] - turned[234 * 3]);
  const target = texturedFrame(0, 512, 512, 1);
  // a flat grey source with a closed mouth: every pixel the mask fully covers becomes this grey
  const source: RgbFrame = { index: 1, time: 0.04, width: 512, height: 512, data: new Uint8Array(512 * 512 * 3).fill(90) };
  const res = renderFrame(target, turned, { frame: 1, mesh: openMesh(0), patch: wholeFramePatch(source) }, editEntry(0, 1), g, { colourRadius: 0 });
  const lips = new Float32Array(512 * 512);
  fillPolygon(lips, 512, 512, OUTER_LIP.map((i) => turned[i * 3]), OUTER_LIP.map((i) => turned[i * 3 + 1]), 1);
  let inside = 0, notCovered = 0;
  for (let i = 0; i < lips.length; i++) {
    if (!lips[i]) continue;
    inside++;
    if (res.frame.data[i * 3] !== 90) notCovered++;
  }
  assert.ok(inside > 500, `lip area ${inside}`);
  assert.equal(notCovered, 0, `${notCovered} of ${inside} old-lip pixels still show the old mouth`);
});

test('opening parted lips keeps what showed between them at its own height: teeth under the upper lip, new gap in the middle', () => {
  const w = 30, h = 40;
  // old opening rows 10..19: bright "upper teeth" rows 10..15, the dark gap between the teeth at
  // row 16, lower content rows 17..19; the warp stretched it linearly over the new opening 10..29
  const oldRow = (r: number): number => (r <= 15 ? 230 : r === 16 ? 20 : 120);
  const rgb = new Float32Array(w * h * 3).fill(200);
  for (let y = 10; y <= 29; y++) {
    const v = oldRow(Math.min(19, Math.round(10 + (y - 10) * 0.5)));
    for (let x = 0; x < w; x++) for (let c = 0; c < 3; c++) rgb[(y * w + x) * 3 + c] = v;
  }
  const { keep, oldGapPx } = splitOpening(rgb, w, h, [5, 25, 25, 5], [10, 10, 20, 20], [5, 25, 25, 5], [10, 10, 30, 30]);
  assert.equal(oldGapPx, 10);
  const x = 15;
  const at = (y: number): number => rgb[(y * w + x) * 3];
  // the teeth keep their height under the upper lip (stretched, they reached row 21)
  for (let y = 10; y <= 14; y++) {
    assert.ok(at(y) > 200, `row ${y}: ${at(y)}`);
    assert.equal(keep[y * w + x], 1, `keep at row ${y}`);
  }
  // the middle is left to the painted cavity
  for (let y = 19; y <= 24; y++) assert.equal(keep[y * w + x], 0, `keep at row ${y}`);
  // the lower part (cut just below the dark gap: two to three rows) sits above the lower lip, as it did
  assert.ok(keep[29 * w + x] > 0.5, 'keep at row 29');
  assert.ok(Math.abs(at(29) - 120) < 15, `row 29: ${at(29)}`);
  assert.ok(keep[28 * w + x] > 0, 'keep at row 28');
});
