import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectShots, frameStats, ShotDetector, type FrameStats } from '../src/engine/face/shots.js';

const W = 96, H = 54;

/** A scene: a smooth gradient background of a given hue with a bright blob moving a little. */
function scene(kind: number, t: number): Uint8Array {
  const d = new Uint8Array(W * H * 3);
  const bx = 30 + 5 * Math.sin(t / 4), by = 25 + 3 * Math.cos(t / 5);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const o = (y * W + x) * 3;
      const blob = Math.hypot(x - bx, y - by) < 8 ? 80 : 0;
      const g = kind === 0 ? 40 + x : kind === 1 ? 200 - y * 2 : 100 + ((x * y) % 60);
      d[o] = Math.min(255, g + blob);
      d[o + 1] = Math.min(255, (kind === 1 ? 180 : g / 2) + blob);
      d[o + 2] = Math.min(255, (kind === 2 ? 30 : 120) + blob);
    }
  }
  return d;
}

function mix(a: Uint8Array, b: Uint8Array, t: number): Uint8Array {
  return a.map((v, i) => Math.round(v * (1 - t) + b[i] * t));
}

test('hard cut is found at the exact frame, talking-head-like motion is not a cut', () => {
  const stats: FrameStats[] = [];
  for (let i = 0; i < 60; i++) stats.push(frameStats(W, H, scene(i < 37 ? 0 : 1, i)));
  const shots = detectShots(stats);
  assert.deepEqual(shots, [
    { start: 0, end: 37, kind: 'start' },
    { start: 37, end: 60, kind: 'cut' },
  ]);
});

test('fade through black and a dissolve are found as fades', () => {
  const stats: FrameStats[] = [];
  const black = new Uint8Array(W * H * 3);
  // 0-29 scene A, 30-39 fade out to black, 40-49 fade in to B, 50-79 B, 80-91 dissolve to C, 92-119 C
  for (let i = 0; i < 120; i++) {
    let f: Uint8Array;
    if (i < 30) f = scene(0, i);
    else if (i < 40) f = mix(scene(0, i), black, (i - 29) / 10);
    else if (i < 50) f = mix(black, scene(1, i), (i - 39) / 10);
    else if (i < 80) f = scene(1, i);
    else if (i < 92) f = mix(scene(1, i), scene(2, i), (i - 79) / 12);
    else f = scene(2, i);
    stats.push(frameStats(W, H, f));
  }
  const shots = detectShots(stats);
  assert.equal(shots.length, 3, JSON.stringify(shots));
  assert.equal(shots[1].kind, 'fade');
  assert.ok(shots[1].start >= 38 && shots[1].start <= 42, `fade through black boundary at ${shots[1].start}`);
  assert.equal(shots[2].kind, 'fade');
  assert.ok(shots[2].start >= 82 && shots[2].start <= 90, `dissolve boundary at ${shots[2].start}`);
});

test('a static clip is one shot', () => {
  const stats = Array.from({ length: 30 }, (_, i) => frameStats(W, H, scene(2, i)));
  assert.deepEqual(detectShots(stats), [{ start: 0, end: 30, kind: 'start' }]);
});

test('shots found while frames stream past hold only the last few frames and match the whole-clip list', () => {
  // 600 frames: cuts, fades through black and dissolves, every ~50 frames
  const black = new Uint8Array(W * H * 3);
  const frames: Uint8Array[] = [];
  for (let i = 0; i < 600; i++) {
    const part = Math.floor(i / 50), t = i % 50, k = part % 3, next = (part + 1) % 3;
    if (part % 3 === 1 && t >= 40) frames.push(mix(scene(k, i), scene(next, i), (t - 39) / 10));
    else if (part % 3 === 2 && t >= 44) frames.push(mix(scene(k, i), black, (t - 43) / 6));
    else frames.push(scene(k, i));
  }
  const stats = frames.map((f) => frameStats(W, H, f));
  const d = new ShotDetector();
  let most = 0;
  const cuts: number[] = [];
  stats.forEach((s, i) => {
    if (d.push(s)) cuts.push(i);
    most = Math.max(most, d.holding);
  });
  const shots = d.finish();
  assert.ok(most <= 42, `held ${most} frames`);
  assert.deepEqual(shots, detectShots(stats));
  assert.ok(shots.length >= 10, JSON.stringify(shots));
  assert.ok(shots.some((s) => s.kind === 'fade') && shots.some((s) => s.kind === 'cut'), JSON.stringify(shots));
  // a cut out of a fade to black may be listed as the fade's end, but it starts a shot either way
  for (const c of cuts) assert.ok(shots.some((s) => s.start === c), `cut at ${c}`);
});
