/**
 * Whole-shot mouth selection: for every output frame, choose a source frame of the same shot whose
 * mouth matches the target, by dynamic programming so the choice runs along consecutive source
 * frames where it can (natural motion, no flicker) and jumps only when the match is worth it.
 */
import type { TrackDocument } from '../face/types.js';
import type { MeshScratch } from '../face/stored-face.js';
import { buildCandidateBank, meshUsable, selectedFace, workingMesh } from './candidates.js';
import { buildShotGeometry } from './geometry.js';
import { shapeDistance } from './landmarks.js';
import { fitTargetsToBank } from './target-fit.js';
import { viterbi } from './viterbi.js';
import { percentile } from '../audio/stats.js';
import type { MatchWeights, MouthCandidate, MouthTarget, PassReason, PlanEntry, PlanOptions, ShotPlan, SynthesisPlan, TargetList } from './types.js';

/**
 * Lip gap outweighs width and jaw because it is what the audio model predicts best and what a
 * viewer reads as speech; the jump cost is raised with it so the plan does not cut between source
 * mouths more often. Chosen with scripts/experiment-plan.ts on targets from held-out mouth models:
 * plan-vs-real-mouth r 0.329 → 0.359 on 25 split cases (0.314 → 0.345 on bench generate's 15),
 * both halves of each set up, at 2.05 jumps/s instead of 1.78 (lipGap 1 / jumpCost 0.04 before).
 */
export const DEFAULT_WEIGHTS: MatchWeights = { lipGap: 1.5, width: 0.5, jaw: 0.3, closure: 4, pose: 0.15 };
export const DEFAULT_JUMP_COST = 0.06;

/** How well candidate `c` serves target `t` on a frame whose head pose is (yaw, pitch). */
export function matchCost(c: MouthCandidate, t: MouthTarget, yaw: number, pitch: number, w: MatchWeights): number {
  const closure = Math.min(1, Math.max(0, t.closure ?? 0));
  return (
    w.lipGap * Math.abs(c.lipGap - t.lipGap) +
    w.width * Math.abs(c.width - t.width) +
    w.jaw * Math.abs(c.jaw - t.jaw) +
    w.closure * closure * Math.max(0, c.lipGap) +
    w.pose * (Math.abs(c.yaw - yaw) + Math.abs(c.pitch - pitch))
  );
}

function passReason(doc: TrackDocument, frame: number, hasTarget: boolean, minVisibility: number, scratch: MeshScratch): PassReason | null {
  if (!hasTarget) return 'no-target';
  const face = selectedFace(doc, frame);
  if (!face || !meshUsable(workingMesh(face, scratch))) return 'no-face';
  if (face.mouth.visibility < minVisibility) {
    const r = face.mouth.hiddenReason;
    return r === 'occluded' ? 'occluded' : r === 'profile' ? 'profile' : 'low-visibility';
  }
  return null;
}

/** Plans one shot [start, end): fills `entries` for those frames and returns the shot summary. */
export function planShot(doc: TrackDocument, shotIndex: number, targets: TargetList, entries: PlanEntry[], opts: PlanOptions = {}): ShotPlan {
  const shot = doc.shots[shotIndex];
  const minVis = opts.minVisibility ?? 0.5;
  const beam = Math.max(1, opts.beam ?? 12);
  const w = { ...DEFAULT_WEIGHTS, ...(opts.weights ?? {}) };
  const jumpCost = opts.jumpCost ?? DEFAULT_JUMP_COST;
  const holdCost = opts.holdCost ?? 0.008;
  const shapeW = opts.shapeJumpWeight ?? 0.5;
  const openThr = opts.openGapThreshold ?? 0.12;
  const selfBonus = opts.selfBonus ?? 0.01;
  const end = Math.min(shot.end, doc.frames.length);
  const bank = buildCandidateBank(doc, shot.start, end, minVis);
  const byFrame = new Map<number, number>();
  bank.forEach((c, k) => byFrame.set(c.frame, k));
  const maxGap = bank.reduce((m, c) => Math.max(m, c.lipGap), 0);
  // how much opening variety the shot offers: 10th to 90th percentile of the candidates' lip gaps
  const gaps = bank.map((c) => c.lipGap);
  const spread = bank.length ? percentile(gaps, 90) - percentile(gaps, 10) : 0;
  // Nothing to borrow an opening from: every mouth is shut, or every mouth is alike (a still photo,
  // an expression held through the shot). Choosing among them cannot follow the speech, whatever
  // their gap: a photo with parted lips (gap 0.155, above the shut-mouth threshold) used to give a
  // frozen mouth. The opener makes the opening over the mouth shown instead.
  const opener = bank.length > 0 && (maxGap < openThr || spread < (opts.minGapSpread ?? 0.03));
  // this shot's targets (frame f at f - shot.start), fitted to its bank when asked
  let shotTargets = targets.slice(shot.start, end);
  if (opts.targetScale === 'fit-bank' && !opener && bank.length > 1) shotTargets = fitTargetsToBank(shotTargets, bank);
  const targetAt = (f: number): MouthTarget | undefined => shotTargets[f - shot.start];
  // the meshes are read one frame at a time through one buffer (a long clip's may wait in a file)
  const scratch: MeshScratch = {};
  const bankMeshes = function* (): Generator<Float32Array> {
    for (const c of bank) yield workingMesh(selectedFace(doc, c.frame)!, scratch);
  };
  const geometry = bank.length ? buildShotGeometry(bankMeshes()) : null;

  // split the shot into runs of editable frames; each run is one Viterbi problem
  const runs: number[][] = [];
  let run: number[] = [];
  for (let f = shot.start; f < end; f++) {
    let reason = passReason(doc, f, targetAt(f) !== undefined, minVis, scratch);
    if (!reason && bank.length === 0) reason = 'no-candidates';
    if (reason) {
      entries[f] = { frame: f, action: 'pass', reason };
      if (run.length) runs.push(run);
      run = [];
    } else run.push(f);
  }
  if (run.length) runs.push(run);

  for (const frames of runs) {
    // per frame, the `beam` best candidates by match cost, plus the continuations (same frame and
    // next frame) of the previous frame's list, so continuing is always an option
    const lists: number[][] = [];
    const unary: number[][] = [];
    frames.forEach((f, i) => {
      const face = selectedFace(doc, f)!;
      const wanted = targetAt(f)!;
      // footage the opener works on (shut or alike mouths): prefer the cleanest shut mouths
      const t = opener ? { ...wanted, lipGap: 0, closure: 0 } : wanted;
      // the frame's own mouth, when it fits, is the best source of all: nothing is resampled and the
      // original micro-motion is kept, so it gets a small bonus and is always in the list
      const self = byFrame.get(f);
      // read once: a stored face's pose is a fresh object each read (stored-face.ts)
      const { yaw, pitch } = face.pose;
      const weights = opener ? { ...w, jaw: 0 } : w;
      const cost = (k: number): number => matchCost(bank[k], t, yaw, pitch, weights) - (k === self ? selfBonus : 0);
      const list = bestK(bank.length, beam, cost);
      if (self !== undefined && !list.includes(self)) list.push(self);
      if (i > 0) {
        const have = new Set(list);
        const extra: number[] = [];
        for (const p of lists[i - 1]) {
          const next = byFrame.get(bank[p].frame + 1);
          for (const k of next !== undefined ? [p, next] : [p]) if (!have.has(k)) { have.add(k); extra.push(k); }
        }
        // keep the list bounded: only the best continuations
        extra.sort((a, b) => cost(a) - cost(b) || a - b);
        list.push(...extra.slice(0, beam));
      }
      lists.push(list);
      unary.push(list.map(cost));
    });
    const transition = (t: number, p: number, c: number): number => {
      const from = bank[lists[t - 1][p]];
      const to = bank[lists[t][c]];
      if (to.frame === from.frame + 1) return 0;
      if (to.frame === from.frame) return holdCost;
      // a jump: cost grows with how different the new mouth is from the one that would naturally come next
      const natural = byFrame.get(from.frame + 1);
      const next = natural !== undefined ? bank[natural] : from;
      return jumpCost + shapeW * shapeDistance(next.shape, to.shape);
    };
    const res = viterbi(unary, transition);
    const chosen = res.path.map((p, i) => lists[i][p]);
    frames.forEach((f, i) => {
      const c = bank[chosen[i]];
      const t = targetAt(f)!;
      const wanted = t.lipGap * (1 - Math.min(1, Math.max(0, t.closure ?? 0)));
      // Closed-mouth footage: the mouth shown is this person's rest. With the targets' rest known,
      // the opening is the target's excess over it, added to whatever gap the rest shows: a still
      // photo with parted lips (gap 0.09) used to stay frozen, because the model's openings for
      // ordinary speech (0.05 typical over a rest of 0.02) seldom passed its own gap.
      const openBy = opener ? Math.max(0, wanted - (opts.restLipGap ?? Math.max(0, c.lipGap))) : 0;
      entries[f] = {
        frame: f,
        action: 'edit',
        source: c.frame,
        matchCost: round(res.unary[i]),
        transitionCost: round(res.transition[i]),
        openBy: round(openBy),
      };
    });
    if (opts.morphJumps ?? true) addJumpMorphs(frames, chosen, bank, byFrame, entries);
  }
  return { shot: shotIndex, start: shot.start, end, candidates: bank.length, maxCandidateGap: round(maxGap), candidateGapSpread: round(spread), opener, geometry };
}

/**
 * Indices of the k lowest costs among 0..n-1, cheapest first (ties: lower index first). A small
 * sorted insertion list: O(n·k) worst case, close to O(n) in practice, where a full sort per frame
 * would make long shots quadratic-times-log.
 */
function bestK(n: number, k: number, cost: (i: number) => number): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = cost(i);
    if (idx.length === k && c >= val[k - 1]) continue;
    let j = idx.length === k ? k - 1 : idx.length;
    while (j > 0 && val[j - 1] > c) {
      if (j < k) { val[j] = val[j - 1]; idx[j] = idx[j - 1]; }
      j--;
    }
    val[j] = c;
    idx[j] = i;
  }
  return idx.slice(0, Math.min(k, n));
}

/**
 * After a jump from source a to source b, the frame of the jump is rendered half-way between b and
 * a's natural successor, and the next frame a quarter of the way, so the mouth morphs over three
 * frames instead of popping in one.
 */
function addJumpMorphs(frames: number[], chosen: number[], bank: MouthCandidate[], byFrame: Map<number, number>, entries: PlanEntry[]): void {
  for (let i = 1; i < frames.length; i++) {
    const prev = bank[chosen[i - 1]], cur = bank[chosen[i]];
    if (cur.frame === prev.frame || cur.frame === prev.frame + 1) continue;
    const natural = byFrame.get(prev.frame + 1) ?? chosen[i - 1];
    const e = entries[frames[i]];
    if (e.action === 'edit') e.blend = { source: bank[natural].frame, weight: 0.5 };
    if (i + 1 < frames.length) {
      const next = bank[chosen[i + 1]];
      const e2 = entries[frames[i + 1]];
      const after = byFrame.get(bank[natural].frame + 1) ?? natural;
      if ((next.frame === cur.frame + 1 || next.frame === cur.frame) && e2.action === 'edit') e2.blend = { source: bank[after].frame, weight: 0.25 };
    }
  }
}

/** Lowers the edit strength of frames within `n` frames of a passed-through frame of the same shot. */
function addFades(entries: PlanEntry[], shots: ShotPlan[], n: number): void {
  if (n <= 0) return;
  for (const s of shots) {
    for (let f = s.start; f < s.end; f++) {
      const e = entries[f];
      if (e.action !== 'edit') continue;
      let d = n + 1;
      for (let k = 1; k <= n; k++) {
        const a = entries[f - k], b = entries[f + k];
        if ((f - k >= s.start && a?.action === 'pass') || (f + k < s.end && b?.action === 'pass')) { d = k; break; }
      }
      if (d <= n) e.strength = round(d / (n + 1));
    }
  }
}

function round(v: number): number {
  return Math.round(v * 1e5) / 1e5;
}

/** Plans every shot of the document. `targets[i]` drives output frame i (missing → frame passed through). */
export function planVideo(doc: TrackDocument, targets: TargetList, opts: PlanOptions = {}): SynthesisPlan {
  const t0 = performance.now();
  const entries: PlanEntry[] = new Array(doc.frames.length);
  const shots: ShotPlan[] = [];
  const shotList = doc.shots.length ? doc.shots : [{ start: 0, end: doc.frames.length, kind: 'start' as const }];
  const d = doc.shots.length ? doc : { ...doc, shots: shotList };
  for (let s = 0; s < shotList.length; s++) shots.push(planShot(d, s, targets, entries, opts));
  for (let f = 0; f < entries.length; f++) if (!entries[f]) entries[f] = { frame: f, action: 'pass', reason: 'no-face' };
  addFades(entries, shots, opts.fadeFrames ?? 2);
  let edited = 0, passed = 0, occluded = 0, noFace = 0, jumps = 0, cost = 0;
  let prev: PlanEntry | undefined;
  for (const e of entries) {
    if (e.action === 'edit') {
      edited++;
      cost += e.matchCost;
      if (prev?.action === 'edit' && e.source !== prev.source + 1 && e.source !== prev.source) jumps++;
    } else {
      passed++;
      if (e.reason === 'occluded' || e.reason === 'profile' || e.reason === 'low-visibility') occluded++;
      if (e.reason === 'no-face') noFace++;
    }
    prev = e;
  }
  return {
    format: 'resync.synthesis-plan',
    version: 1,
    trackId: doc.selectedTrackId,
    width: doc.source.width,
    height: doc.source.height,
    shots,
    entries,
    stats: { edited, passed, occluded, noFace, jumps, meanMatchCost: edited ? round(cost / edited) : 0, planMs: Math.round((performance.now() - t0) * 10) / 10 },
  };
}
