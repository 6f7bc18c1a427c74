import { test } from 'node:test';
import assert from 'node:assert/strict';
import { viterbi } from '../src/engine/synthesis/viterbi.js';
import { planVideo } from '../src/engine/synthesis/plan.js';
import { delaunay } from '../src/engine/synthesis/delaunay.js';
import type { MouthTarget, PlanEntry } from '../src/engine/synthesis/types.js';
import { fakeTrack } from './synthesis-fixture.js';

const edits = (entries: PlanEntry[]): Array<Extract<PlanEntry, { action: 'edit' }>> =>
  entries.filter((e): e is Extract<PlanEntry, { action: 'edit' }> => e.action === 'edit');

test('viterbi trades unary cost against transition cost', () => {
  // frame 1 slightly prefers state 1, but switching costs more than it saves
  const unary = [[0, 5], [0.3, 0.2], [0, 5]];
  const sticky = viterbi(unary, (_t, p, c) => (p === c ? 0 : 1));
  assert.deepEqual(sticky.path, [0, 0, 0]);
  assert.equal(sticky.total, 0.3);
  const free = viterbi(unary, () => 0);
  assert.deepEqual(free.path, [0, 1, 0]);
});

test('delaunay triangulates a square grid into 2 triangles per cell with positive orientation', () => {
  const xs: number[] = [], ys: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) { xs.push(x * 10 + (y % 2) * 0.01); ys.push(y * 10); }
  const tri = delaunay(xs, ys);
  assert.equal(tri.length / 3, 4 * 3 * 2);
  for (let t = 0; t < tri.length; t += 3) {
    const [a, b, c] = [tri[t], tri[t + 1], tri[t + 2]];
    const area = (xs[b] - xs[a]) * (ys[c] - ys[a]) - (xs[c] - xs[a]) * (ys[b] - ys[a]);
    assert.ok(area > 0);
  }
});

// a source mouth curve with distinct openings
const curve = Array.from({ length: 40 }, (_, i) => 0.02 + 0.2 * Math.abs(Math.sin(i * 0.45)) + i * 0.001);

test('plan picks the exact matching source frames when the target replays a stretch of the shot', () => {
  const doc = fakeTrack(curve.map((gap) => ({ gap })));
  // output frame t asks for the mouth of source frame t+7 (wrapping inside the shot)
  const targets: MouthTarget[] = curve.map((_, t) => {
    const g = curve[(t + 7) % curve.length];
    return { lipGap: g, jaw: 0.9 + g, width: 0.55 };
  });
  // no bonus for a frame's own mouth here: some own mouths are within 0.01 of the asked one
  const plan = planVideo(doc, targets, { selfBonus: 0 });
  const chosen = edits(plan.entries);
  assert.equal(chosen.length, curve.length);
  for (const e of chosen) {
    assert.equal(e.source, (e.frame + 7) % curve.length, `frame ${e.frame}`);
    assert.ok(e.matchCost < 1e-9);
  }
  // exactly one jump: at the wrap-around
  assert.equal(plan.stats.jumps, 1);
  assert.equal(plan.format, 'resync.synthesis-plan');
  assert.deepEqual(JSON.parse(JSON.stringify(plan)), plan);
});

test('a constant target gives a steady choice (no flicker)', () => {
  // noisy openings around 0.1: many frames are almost equally good
  const gaps = Array.from({ length: 60 }, (_, i) => 0.1 + 0.03 * Math.sin(i * 2.7) + 0.01 * Math.cos(i * 5.1));
  const doc = fakeTrack(gaps.map((gap) => ({ gap })));
  const plan = planVideo(doc, gaps.map(() => ({ lipGap: 0.1, jaw: 1.0, width: 0.55 })));
  const chosen = edits(plan.entries).map((e) => e.source);
  let changes = 0;
  for (let t = 1; t < chosen.length; t++) if (chosen[t] !== chosen[t - 1] && chosen[t] !== chosen[t - 1] + 1) changes++;
  assert.equal(changes, plan.stats.jumps);
  assert.ok(changes <= 3, `DP jumped ${changes} times: ${chosen.join(',')}`);
  for (const s of chosen) assert.ok(Math.abs(gaps[s] - 0.1) < 0.03);
});

test('a jittery target does not make the choice jump around the way a per-frame best match does', () => {
  const gaps = Array.from({ length: 60 }, (_, i) => 0.1 + 0.03 * Math.sin(i * 2.7) + 0.01 * Math.cos(i * 5.1));
  const doc = fakeTrack(gaps.map((gap) => ({ gap })));
  const wanted = gaps.map((_, t) => 0.1 + 0.01 * Math.sin(t * 1.9));
  const plan = planVideo(doc, wanted.map((g) => ({ lipGap: g, jaw: 0.9 + g, width: 0.55 })));
  const greedy = wanted.map((g) => {
    let best = 0;
    for (let k = 1; k < gaps.length; k++) if (Math.abs(gaps[k] - g) < Math.abs(gaps[best] - g)) best = k;
    return best;
  });
  const jumps = (s: number[]): number => s.slice(1).filter((v, t) => v !== s[t] && v !== s[t] + 1).length;
  assert.ok(jumps(greedy) > 20, `greedy jumps ${jumps(greedy)}`);
  assert.ok(plan.stats.jumps <= jumps(greedy) / 4, `DP jumps ${plan.stats.jumps} vs greedy ${jumps(greedy)}`);
});

test('frames without a usable face or target pass through with the reason', () => {
  const doc = fakeTrack([
    { gap: 0.1 }, { noFace: true }, { gap: 0.2, visibility: 0.1, hiddenReason: 'occluded' }, { gap: 0.1, visibility: 0.2, hiddenReason: 'profile' }, { gap: 0.05 }, { gap: 0.15 },
  ]);
  const targets: Array<MouthTarget | undefined> = [{ lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, { lipGap: 0.1, jaw: 1, width: 0.55 }, undefined, { lipGap: 0.05, jaw: 1, width: 0.55 }];
  const plan = planVideo(doc, targets);
  const reasons = plan.entries.map((e) => (e.action === 'pass' ? e.reason : 'edit'));
  assert.deepEqual(reasons, ['edit', 'no-face', 'occluded', 'profile', 'no-target', 'edit']);
  // occluded frames are not used as sources either
  for (const e of edits(plan.entries)) assert.ok([0, 4, 5].includes(e.source));
  assert.equal(plan.stats.edited, 2);
  assert.equal(plan.stats.occluded, 2);
  assert.equal(plan.stats.noFace, 1);
});

test('closed-mouth footage asks the renderer to open the lips; footage with open mouths does not', () => {
  const closed = fakeTrack(Array.from({ length: 10 }, (_, i) => ({ gap: 0.005 * (i % 3) })));
  const targets = Array.from({ length: 10 }, (_, i) => ({ lipGap: i % 2 ? 0.25 : 0, jaw: 1, width: 0.55, closure: i % 2 ? 0 : 1 }));
  const plan = planVideo(closed, targets);
  for (const e of edits(plan.entries)) {
    if (e.frame % 2) assert.ok(e.openBy > 0.2, `frame ${e.frame} openBy ${e.openBy}`);
    else assert.equal(e.openBy, 0);
  }
  assert.ok(plan.shots[0].maxCandidateGap < 0.06);
  const open = fakeTrack(Array.from({ length: 10 }, (_, i) => ({ gap: 0.03 * i })));
  for (const e of edits(planVideo(open, targets).entries)) assert.equal(e.openBy, 0);
});

test('a still photo with parted lips opens by the speech over its rest, not only past its own gap', () => {
  // one frame repeated (a still image's timeline): lips parted by 0.09, nothing more open to borrow
  const still = fakeTrack(Array.from({ length: 12 }, () => ({ gap: 0.09 })));
  // ordinary speech from the general model: rest 0.018, openings mostly below the photo's own gap
  const lips = [0.018, 0.018, 0.04, 0.06, 0.05, 0.08, 0.03, 0.07, 0.02, 0.06, 0.018, 0.018];
  const targets = lips.map((lipGap) => ({ lipGap, jaw: 1, width: 0.55, closure: 0 }));
  const opened = (rest?: number): number[] => edits(planVideo(still, targets, { restLipGap: rest }).entries).map((e) => e.openBy);
  // without the rest, almost nothing passes 0.09: the mouth stayed frozen
  assert.ok(opened().every((o) => o === 0), `no rest: ${opened().join(' ')}`);
  // with it, the opening follows the speech: zero at rest, the target's excess elsewhere
  const withRest = opened(0.018);
  lips.forEach((l, i) => assert.ok(Math.abs(withRest[i] - (l - 0.018)) < 1e-4, `frame ${i}: openBy ${withRest[i]} for target ${l}`));
});

test('a still photo with an open mouth still talks: alike mouths, however open, go to the opener', () => {
  // one frame repeated, lips apart by 0.155 (above the 0.12 shut-mouth threshold): as a choice
  // among candidates, every frame could only show that one mouth, and the output stood frozen
  const still = fakeTrack(Array.from({ length: 12 }, () => ({ gap: 0.155 })));
  const lips = [0.018, 0.018, 0.08, 0.15, 0.05, 0.2, 0.03, 0.12, 0.02, 0.1, 0.018, 0.018];
  const targets = lips.map((lipGap) => ({ lipGap, jaw: 1, width: 0.55, closure: 0 }));
  const plan = planVideo(still, targets, { restLipGap: 0.018 });
  assert.equal(plan.shots[0].opener, true);
  assert.equal(plan.shots[0].candidateGapSpread, 0);
  const opened = edits(plan.entries).map((e) => e.openBy);
  lips.forEach((l, i) => assert.ok(Math.abs(opened[i] - (l - 0.018)) < 1e-4, `frame ${i}: openBy ${opened[i]} for target ${l}`));
  // real footage whose open mouths vary is planned by choice, not by the opener
  const varied = fakeTrack(Array.from({ length: 12 }, (_, i) => ({ gap: 0.12 + 0.02 * (i % 5) })));
  const p2 = planVideo(varied, targets, { restLipGap: 0.018 });
  assert.equal(p2.shots[0].opener, false);
  for (const e of edits(p2.entries)) assert.equal(e.openBy, 0);
});

test('closure pulls the choice to shut lips even when other measures match an open mouth better', () => {
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.12 }, { gap: 0.3 }]);
  const plan = planVideo(doc, [{ lipGap: 0.1, jaw: 1.02, width: 0.55, closure: 1 }, undefined, undefined]);
  const e = plan.entries[0];
  assert.equal(e.action, 'edit');
  if (e.action === 'edit') assert.equal(e.source, 0);
});

test('a jump is spread over frames: the jump frame and the next morph from the natural successor', () => {
  // the target follows source frames 0..9, then asks for frame 30's mouth onwards
  const doc = fakeTrack(curve.map((gap) => ({ gap })));
  const order = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 30, 31, 32, 33];
  const targets = curve.map((_, t) => (t < order.length ? { lipGap: curve[order[t]], jaw: 0.9 + curve[order[t]], width: 0.55 } : undefined));
  const plan = planVideo(doc, targets);
  const e = edits(plan.entries);
  assert.deepEqual(e.map((x) => x.source), order);
  assert.deepEqual(e[10].blend, { source: 10, weight: 0.5 });
  assert.deepEqual(e[11].blend, { source: 11, weight: 0.25 });
  assert.equal(e[12].blend, undefined);
  assert.equal(e[9].blend, undefined);
  const off = edits(planVideo(doc, targets, { morphJumps: false }).entries);
  assert.ok(off.every((x) => x.blend === undefined));
});

test('fit-bank maps a target curve onto the range of mouths the person actually makes', async () => {
  const { fitTargetsToBank } = await import('../src/engine/synthesis/target-fit.js');
  const { buildCandidateBank } = await import('../src/engine/synthesis/candidates.js');
  // this speaker opens at most 0.15; the audio asks for up to 0.45
  const gaps = Array.from({ length: 30 }, (_, i) => 0.15 * Math.abs(Math.sin(i * 0.4)));
  const doc = fakeTrack(gaps.map((gap) => ({ gap })));
  const bank = buildCandidateBank(doc, 0, 30, 0.5);
  const targets: Array<MouthTarget | undefined> = gaps.map((g, i) => (i === 3 ? undefined : { lipGap: g * 3, jaw: 1.3 + g * 3, width: 0.7 }));
  const fitted = fitTargetsToBank(targets, bank);
  assert.equal(fitted[3], undefined);
  const max = Math.max(...fitted.map((t) => t?.lipGap ?? 0));
  assert.ok(max > 0.13 && max < 0.17, `max fitted gap ${max}`);
  // order is kept
  for (let i = 1; i < 30; i++) if (targets[i] && targets[i - 1]) assert.equal(Math.sign(fitted[i]!.lipGap - fitted[i - 1]!.lipGap), Math.sign(targets[i]!.lipGap - targets[i - 1]!.lipGap));
  // medians of jaw and width now match the bank's
  const med = (v: number[]): number => v.sort((a, b) => a - b)[Math.floor(v.length / 2)];
  assert.ok(Math.abs(med(fitted.filter(Boolean).map((t) => t!.width)) - 0.55) < 1e-9);
  // in a plan, the widest target now takes the widest mouth instead of every open target taking it
  const abs = edits(planVideo(doc, targets).entries);
  const fit = edits(planVideo(doc, targets, { targetScale: 'fit-bank' }).entries);
  const widest = gaps.indexOf(Math.max(...gaps));
  const usesWidest = (e: typeof abs): number => e.filter((x) => Math.abs(gaps[x.source] - gaps[widest]) < 0.01).length;
  assert.ok(usesWidest(fit) < usesWidest(abs), `fit ${usesWidest(fit)} vs absolute ${usesWidest(abs)}`);
});

test('delaunay triangles have empty circumcircles on scattered points', () => {
  let seed = 7;
  const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const xs = Array.from({ length: 80 }, () => rnd() * 100);
  const ys = Array.from({ length: 80 }, () => rnd() * 100);
  const tri = delaunay(xs, ys);
  // Euler: a triangulation of n points with h on the hull has 2n - 2 - h triangles
  assert.ok(tri.length / 3 > 80 && tri.length / 3 < 2 * 80);
  for (let t = 0; t < tri.length; t += 3) {
    const [a, b, c] = [tri[t], tri[t + 1], tri[t + 2]];
    const d = 2 * (xs[a] * (ys[b] - ys[c]) + xs[b] * (ys[c] - ys[a]) + xs[c] * (ys[a] - ys[b]));
    const sq = (i: number): number => xs[i] * xs[i] + ys[i] * ys[i];
    const ux = (sq(a) * (ys[b] - ys[c]) + sq(b) * (ys[c] - ys[a]) + sq(c) * (ys[a] - ys[b])) / d;
    const uy = (sq(a) * (xs[c] - xs[b]) + sq(b) * (xs[a] - xs[c]) + sq(c) * (xs[b] - xs[a])) / d;
    const r2 = (xs[a] - ux) ** 2 + (ys[a] - uy) ** 2;
    for (let p = 0; p < 80; p++) {
      if (p === a || p === b || p === c) continue;
      assert.ok((xs[p] - ux) ** 2 + (ys[p] - uy) ** 2 >= r2 * (1 - 1e-9), `point ${p} inside circumcircle of ${a},${b},${c}`);
    }
  }
});

test('the shot geometry covers the whole mask with triangles, open or closed, and keeps the lips whole', async () => {
  const { warpTriangles } = await import('../src/engine/synthesis/warp.js');
  const { targetControlPoints, frameControlPoints } = await import('../src/engine/synthesis/geometry.js');
  const { fillPolygon, boundsOf } = await import('../src/engine/synthesis/raster-ops.js');
  const { LIPS } = await import('../src/engine/synthesis/landmarks.js');
  const { openMesh } = await import('./synthesis-fixture.js');
  const doc = fakeTrack([{ gap: 0 }, { gap: 0.1 }, { gap: 0.25 }]);
  const g = planVideo(doc, [{ lipGap: 0.1, jaw: 1, width: 0.55 }, undefined, undefined]).shots[0].geometry!;
  for (const i of LIPS) assert.ok(g.points.includes(i), `lip point ${i}`);
  const n = g.points.length + g.outerBase.length;
  assert.ok(g.triangles.every((v) => v >= 0 && v < n));
  const patch = { x: 0, y: 0, width: 512, height: 512, data: new Uint8Array(512 * 512 * 3) };
  for (const [tg, sg, open] of [[0, 0.25, 0], [0.25, 0, 0], [0, 0, 0.3], [0.1, 0.1, 0]]) {
    const dst = targetControlPoints(openMesh(tg), openMesh(sg), g, open);
    const src = frameControlPoints(openMesh(sg), g);
    const xs: number[] = [], ys: number[] = [], flat: number[] = [];
    for (const h of g.maskLoop) { const k = g.points.indexOf(h); xs.push(dst[k * 2]); ys.push(dst[k * 2 + 1]); flat.push(dst[k * 2], dst[k * 2 + 1]); }
    const r = boundsOf(flat, 1, 512, 512)!;
    const w = warpTriangles(patch, src, dst, g.triangles, r);
    const poly = new Float32Array(r[2] * r[3]);
    fillPolygon(poly, r[2], r[3], xs.map((x) => x - r[0]), ys.map((y) => y - r[1]), 1);
    let holes = 0, inside = 0;
    for (let i = 0; i < poly.length; i++) if (poly[i]) { inside++; if (!w.valid[i]) holes++; }
    assert.ok(inside > 5000);
    assert.equal(holes, 0, `target ${tg} source ${sg} open ${open}: ${holes} uncovered pixels`);
  }
});

test('a frame whose mesh has non-finite points is passed through and never used as a source', () => {
  const doc = fakeTrack([{ gap: 0.1 }, { gap: 0.2 }, { gap: 0.05 }]);
  const bad = doc.frames[1].faces[0];
  bad.mesh = bad.mesh.slice();
  bad.mesh[13 * 3 + 1] = Number.NaN;
  bad.meshSmoothed = bad.mesh;
  const plan = planVideo(doc, [0.2, 0.2, 0.2].map((g) => ({ lipGap: g, jaw: 0.9 + g, width: 0.55 })));
  assert.deepEqual(plan.entries.map((e) => e.action), ['edit', 'pass', 'edit']);
  for (const e of edits(plan.entries)) assert.notEqual(e.source, 1);
});

test('a frame keeps its own mouth when that already fits the target', () => {
  const doc = fakeTrack(curve.map((gap) => ({ gap })));
  // targets: the shot's own curve plus a small error, then frames 20..29 ask for something else
  const targets = curve.map((g, t) => ({ lipGap: t >= 20 && t < 30 ? curve[(t + 13) % curve.length] : g + 0.004, jaw: 0.9 + g, width: 0.55 }));
  const e = edits(planVideo(doc, targets).entries);
  for (const x of e) if (x.frame < 18 || x.frame > 32) assert.equal(x.source, x.frame, `frame ${x.frame}`);
  assert.ok(e.filter((x) => x.frame >= 20 && x.frame < 30).every((x) => x.source !== x.frame));
  const noBonus = edits(planVideo(doc, targets, { selfBonus: 0 }).entries);
  assert.ok(noBonus.filter((x) => x.source === x.frame).length <= e.filter((x) => x.source === x.frame).length);
});
