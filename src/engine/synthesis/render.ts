/**
 * Renders one edited frame: the chosen source frame's lower face is warped into the target frame's
 * geometry (target head, source mouth), colour-matched to the target's skin, optionally opened
 * (closed-mouth footage), and blended in with a feathered mask. Pixels outside the mask are never
 * written, so they stay bit-identical to the input.
 */
import type { RgbFrame, VideoFrame } from '../media/types.js';
import { blendRgbIntoYuv, isYuvFrame, yuvRegionToRgb, yuvRegionToRgb8 } from '../media/yuv.js';
import { matchColour } from './color-match.js';
import { frameControlPoints, targetControlPoints } from './geometry.js';
import { INNER_LIP, OUTER_LIP, eyeDistance } from './landmarks.js';
import { paintMouthInterior, splitOpening } from './mouth-interior.js';
import { blurredPolygons, boundsOf, convexHull, fillPolygon, type Polygon, type RectTuple } from './raster-ops.js';
import { Scratch } from './scratch.js';
import type { PlanEntry, ShotGeometry } from './types.js';
import { fillWarpGaps, warpTriangles, type RgbPatch } from './warp.js';
import { laplacianVariance, restoreDetail, type Box } from './detail.js';

export interface RenderOptions {
  /** Feather width of the mask edge, in eye distances (default 0.06). */
  feather?: number;
  /** Mask outline pulled towards the mouth by this fraction (default 0.1). */
  maskShrink?: number;
  /** Gain-map blur radius in eye distances (default 0.18); 0 disables colour matching. */
  colourRadius?: number;
  /** Strength of the teeth band painted in synthesised openings (default 0.5). */
  teeth?: number;
  /**
   * Write into the target frame's own buffer instead of a copy (the streaming render owns each
   * decoded frame and drops it after encoding; at 4K a copy is 25 MB per frame).
   */
  inPlace?: boolean;
}

/**
 * The render's per-frame planes. Frames are rendered one after another on one thread, and nothing
 * taken from here outlives a renderFrame call (see scratch.ts).
 */
const scratch = new Scratch();

/** The source side of a render: the source frame's mesh and a patch of its pixels covering the lower face. */
export interface SourceMouth {
  frame: number;
  mesh: ArrayLike<number>;
  patch: RgbPatch;
}

export interface RenderResult<F extends VideoFrame = RgbFrame> {
  frame: F;
  /** Region [x, y, w, h] outside which no pixel changed. */
  region: RectTuple;
  /** Pixels whose value was written (alpha > 0). */
  changed: number;
  gains: [number, number, number];
}

/** The part of a frame the synthesis may read from a source frame: the warp's control region plus a margin. */
export function sourceRegion(mesh: ArrayLike<number>, g: ShotGeometry, width: number, height: number): RectTuple | null {
  return boundsOf(frameControlPoints(mesh, g), 3, width, height);
}

export function cropPatch(frame: VideoFrame, r: RectTuple): RgbPatch {
  const [x, y, w, h] = r;
  if (isYuvFrame(frame)) return { x, y, width: w, height: h, data: yuvRegionToRgb8(frame, r) };
  const data = new Uint8Array(w * h * 3);
  for (let yy = 0; yy < h; yy++) {
    const so = ((y + yy) * frame.width + x) * 3;
    data.set(frame.data.subarray(so, so + w * 3), yy * w * 3);
  }
  return { x, y, width: w, height: h, data };
}

export function wholeFramePatch(frame: RgbFrame): RgbPatch {
  return { x: 0, y: 0, width: frame.width, height: frame.height, data: frame.data };
}

function ringXY(cp: Float64Array, g: ShotGeometry, ring: number[], ox: number, oy: number): { xs: number[]; ys: number[] } | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const i of ring) {
    const k = g.points.indexOf(i);
    if (k < 0) return null;
    xs.push(cp[k * 2] - ox);
    ys.push(cp[k * 2 + 1] - oy);
  }
  return { xs, ys };
}

export function renderFrame<F extends VideoFrame>(
  target: F,
  targetMesh: ArrayLike<number>,
  source: SourceMouth,
  entry: Extract<PlanEntry, { action: 'edit' }>,
  g: ShotGeometry,
  opts: RenderOptions = {},
  /** The source named by `entry.blend`, when the entry morphs across a jump. */
  blend?: SourceMouth,
): RenderResult<F> {
  const W = target.width, H = target.height;
  const strength = Math.min(1, Math.max(0, entry.strength ?? 1));
  // the frame's own mouth, unchanged: nothing to do (and no resampling blur)
  if (strength === 0 || (source.frame === target.index && !entry.blend && entry.openBy === 0)) {
    return { frame: opts.inPlace ? target : { ...target, data: target.data.slice() }, region: [0, 0, 0, 0], changed: 0, gains: [1, 1, 1] };
  }
  const iod = eyeDistance(targetMesh);
  const own = frameControlPoints(targetMesh, g);
  const src = frameControlPoints(source.mesh, g);
  // morph after a jump: both mouths are warped into the weighted mean geometry and cross-dissolved
  // fading out next to passed-through frames is a morph towards the frame's own mouth (aligned
  // lips, no ghost of a second mouth); it takes precedence over a jump morph on the same frame
  const fading = strength < 1;
  if (fading) blend = { frame: target.index, mesh: targetMesh, patch: ownPatch(target, targetMesh, g) };
  const bw = fading ? 1 - strength : blend && entry.blend ? Math.min(1, Math.max(0, entry.blend.weight)) : 0;
  const morphing = blend && bw > 0 ? blend : undefined;
  /** The target frame's new geometry opened by `openBy`, morphed towards the blend mouth's (which a fade never opens). */
  const geometry = (openBy: number): Float64Array => {
    const p = targetControlPoints(targetMesh, source.mesh, g, openBy);
    if (morphing) {
      const q = targetControlPoints(targetMesh, morphing.mesh, g, fading ? 0 : openBy);
      for (let i = 0; i < p.length; i++) p[i] = p[i] * (1 - bw) + q[i] * bw;
    }
    return p;
  };
  const dst = geometry(entry.openBy);
  // the same geometry before the extra opening: where the mouth's old opening lies (splitOpening)
  const dst0 = entry.openBy > 0 ? geometry(0) : null;
  const blendSrc = morphing ? frameControlPoints(morphing.mesh, g) : null;
  // every read of target.data (the warp of the frame's own mouth when fading, the base copy below)
  // happens before the final blend loop writes, so writing in place is safe
  const out: F = opts.inPlace ? target : { ...target, data: target.data.slice() };
  // mask outline: for each hull point, whichever of its old and new positions lies farther from the
  // mouth, so the target's old chin is covered when the new one is higher
  const cx = (targetMesh[61 * 3] + targetMesh[291 * 3]) / 2;
  const cy = (targetMesh[61 * 3 + 1] + targetMesh[291 * 3 + 1]) / 2;
  const shrink = 1 - (opts.maskShrink ?? 0.1);
  const turn = turnedAway(targetMesh);
  const mx: number[] = [];
  const my: number[] = [];
  const loop = g.maskLoop.map((h) => {
    const k = g.points.indexOf(h);
    const a = [dst[k * 2] - cx, dst[k * 2 + 1] - cy];
    const b = [own[k * 2] - cx, own[k * 2 + 1] - cy];
    return Math.hypot(a[0], a[1]) >= Math.hypot(b[0], b[1]) ? a : b;
  });
  let maxLat = 1;
  for (const p of loop) maxLat = Math.max(maxLat, Math.abs(p[0] * turn.ex + p[1] * turn.ey));
  for (const p of loop) {
    // on a turned head, the far cheek is squeezed against the silhouette and the mesh there is
    // unreliable: pull the mask in on that side so no background is dragged across the contour
    const lat = (p[0] * turn.ex + p[1] * turn.ey) / maxLat;
    const far = Math.max(0, lat * turn.farSign);
    const s = Math.max(0.3, shrink - 1.2 * turn.amount * far);
    mx.push(cx + p[0] * s);
    my.push(cy + p[1] * s);
  }
  // The mask must cover both the old and the new lips with its fully opaque part: otherwise, when
  // the far side is pulled in on a turned head, the old lip corner (even its teeth) shows through
  // beside the new mouth. Lip points pushed out by the feather's reach join the outline's hull.
  const feather = Math.max(1, Math.round((opts.feather ?? 0.06) * iod));
  const reach = 3 * feather + 2;
  for (const cp of [dst, own]) {
    const ring = ringXY(cp, g, OUTER_LIP, 0, 0);
    if (!ring) continue;
    ring.xs.forEach((x, i) => {
      const dx = x - cx, dy = ring.ys[i] - cy;
      const d = Math.hypot(dx, dy) || 1;
      mx.push(cx + dx * (1 + reach / d));
      my.push(cy + dy * (1 + reach / d));
    });
  }
  const hull = convexHull(mx, my);
  mx.length = 0;
  my.length = 0;
  for (const [x, y] of hull) {
    mx.push(x);
    my.push(y);
  }
  const maskFlat: number[] = [];
  mx.forEach((x, i) => maskFlat.push(x, my[i]));
  const region = boundsOf(maskFlat, 1, W, H);
  if (!region) return { frame: out, region: [0, 0, 0, 0], changed: 0, gains: [1, 1, 1] };
  const [rx, ry, rw, rh] = region;
  const maskPoly: Polygon = { xs: mx.map((x) => x - rx), ys: my.map((y) => y - ry) };
  const poly = scratch.floats('poly', rw * rh);
  fillPolygon(poly, rw, rh, maskPoly.xs, maskPoly.ys, 1);
  const dstRing = ringXY(dst, g, OUTER_LIP, rx, ry);
  const box = dstRing ? mouthBox(dstRing.xs, dstRing.ys) : null;
  const need = warpNeed(poly, region, mx, my, cx, cy, box);

  const warped = warpTriangles(source.patch, src, dst, g.triangles, region, need, scratch, 'warp');
  if (morphing && blendSrc) {
    const other = warpTriangles(morphing.patch, blendSrc, dst, g.triangles, region, need, scratch, 'warpBlend');
    mixWarps(warped.rgb, warped.valid, other.rgb, other.valid, bw);
  }
  fillWarpGaps(warped, rw, rh, 3, need, scratch);

  // give back the fine detail the resampling took (see detail.ts)
  if (box) {
    let sVar = mouthDetail(source, src, g);
    if (morphing && blendSrc) {
      const bVar = mouthDetail(morphing, blendSrc, g);
      if (Number.isFinite(bVar) && Number.isFinite(sVar)) sVar = sVar * (1 - bw) + bVar * bw;
    }
    if (Number.isFinite(sVar)) restoreDetail(warped.rgb, rw, rh, box, sVar, scratch, warped.valid);
  }

  // target pixels of the region as floats (colour reference and blend base)
  const base = isYuvFrame(target) ? yuvRegionToRgb(target, region, scratch.floats('base', rw * rh * 3, false)) : Float32Array.from(cropPatch(target, region).data);

  let gains: [number, number, number] = [1, 1, 1];
  const colourR = Math.round((opts.colourRadius ?? 0.18) * iod);
  if (colourR > 0) {
    // compare skin only: lips and mouth openings (old and new) differ for good reasons
    const lipRings: Polygon[] = [];
    for (const cp of [dst, own]) {
      const ring = ringXY(cp, g, OUTER_LIP, rx, ry);
      if (ring) lipRings.push(ring);
    }
    const lipsGrown = blurredPolygons(lipRings, rw, rh, Math.max(1, Math.round(0.03 * iod)), scratch, 'lips');
    const skin = skinWeights(scratch.floats('skin', rw * rh, false), poly, warped.valid, lipsGrown);
    gains = matchColour(warped.rgb, base, skin, rw, rh, colourR, need);
  }

  if (entry.openBy > 0) {
    const inner = ringXY(dst, g, INNER_LIP, rx, ry);
    const inner0 = dst0 ? ringXY(dst0, g, INNER_LIP, rx, ry) : null;
    const outerOwn = ringXY(own, g, OUTER_LIP, rx, ry);
    if (inner && outerOwn) {
      const lip = meanColour(base, rw, rh, outerOwn.xs, outerOwn.ys);
      const skinCol = meanColour(base, rw, rh, mx.map((x) => x - rx), my.map((y) => y - ry));
      // lips that were parted keep what showed between them (mouth-interior.ts); painted teeth
      // fade out as the old opening gets tall enough to show real ones
      const split = inner0 ? splitOpening(warped.rgb, rw, rh, inner0.xs, inner0.ys, inner.xs, inner.ys) : null;
      const teeth = (opts.teeth ?? 0.5) * (split ? Math.min(1, Math.max(0, 1 - split.oldGapPx / 6)) : 1);
      paintMouthInterior(warped.rgb, rw, rh, inner.xs, inner.ys, lip, skinCol, teeth, split?.keep);
    }
  }

  // feathered alpha that is exactly 0 on and outside the outline: blur, then keep the inner half
  const soft = blurredPolygons([maskPoly], rw, rh, feather, scratch, 'soft');
  const alpha = featherAlpha(soft, poly, warped.valid);
  const changed = isYuvFrame(out) ? blendRgbIntoYuv(out, region, warped.rgb, alpha) : blendRgbInto(out, region, base, warped.rgb, alpha);
  return { frame: out, region, changed, gains };
}

/*
 * The per-pixel loops of renderFrame live in small functions of their own (here and in the modules
 * it calls), for V8. renderFrame reads objects whose shapes vary from frame to frame (plan entries
 * with or without a morph or a fade, frames, patches); when one it has not seen throws its compiled
 * code away, the rest of that call runs in the interpreter, and a loop over the ~60 000 pixels of a
 * 1080p mouth region there costs tens of milliseconds. Leaf loops that take only typed arrays and
 * numbers keep their compiled code.
 */

/** Cross-dissolves the second warp into the first by `w`; a pixel stays valid only where both are. */
function mixWarps(rgb: Float32Array, valid: Float32Array, otherRgb: Float32Array, otherValid: Float32Array, w: number): void {
  for (let i = 0; i < valid.length; i++) {
    valid[i] *= otherValid[i];
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] += (otherRgb[i * 3 + c] - rgb[i * 3 + c]) * w;
  }
}

/** Where the colour match may compare warped and target colour: inside the mask, warped, off the lips. */
function skinWeights(skin: Float32Array, poly: Float32Array, valid: Float32Array, lipsGrown: Float32Array): Float32Array {
  for (let i = 0; i < skin.length; i++) skin[i] = poly[i] * valid[i] * (lipsGrown[i] > 0.02 ? 0 : 1);
  return skin;
}

/**
 * The blend's alpha from the blurred mask, in place: exactly 0 on and outside the outline (the
 * inner half of the blur, smoothstepped), and where the warp left no colour.
 */
function featherAlpha(soft: Float32Array, poly: Float32Array, valid: Float32Array): Float32Array {
  for (let i = 0; i < soft.length; i++) {
    let a = poly[i] > 0 ? (soft[i] - 0.5) * 2 : 0;
    if (a <= 0 || valid[i] === 0) a = 0;
    else if (a > 1) a = 1;
    soft[i] = a * a * (3 - 2 * a);
  }
  return soft;
}

/** Writes base + alpha·(rgb − base) into the RGB frame over the region where alpha > 0. */
function blendRgbInto(out: RgbFrame, [rx, ry, rw, rh]: RectTuple, base: Float32Array, rgb: Float32Array, alpha: Float32Array): number {
  let changed = 0;
  for (let y = 0; y < rh; y++) {
    for (let x = 0; x < rw; x++) {
      const i = y * rw + x;
      const a = alpha[i];
      if (!(a > 0)) continue;
      const o = ((ry + y) * out.width + rx + x) * 3;
      for (let c = 0; c < 3; c++) {
        const t = base[i * 3 + c];
        const v = Math.round(t + a * (rgb[i * 3 + c] - t));
        out.data[o + c] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
      changed++;
    }
  }
  return changed;
}

/** The target frame's own lower face as a patch (the source of a fade back to its own mouth). */
function ownPatch(target: VideoFrame, mesh: ArrayLike<number>, g: ShotGeometry): RgbPatch {
  if (!isYuvFrame(target)) return wholeFramePatch(target);
  const r = sourceRegion(mesh, g, target.width, target.height) ?? [0, 0, target.width, target.height];
  return cropPatch(target, r);
}

/** Pixels beyond the mask outline that are still warped (gap filling and the detail blur read them). */
const WARP_MARGIN = 6;

/**
 * Which pixels of the region the warp must fill. Only pixels inside the mask are ever written or
 * compared, so only they, a margin for the gap filling and detail filters, and the mouth box (the
 * detail statistics read all of it, plus a pixel around) are warped: the region's corners outside
 * the hull are skipped.
 */
function warpNeed(poly: Float32Array, [rx, ry, rw, rh]: RectTuple, mx: number[], my: number[], cx: number, cy: number, box: Box | null): Uint8Array {
  const need = scratch.bytes('need', rw * rh, false);
  const m = WARP_MARGIN;
  const grown = scratch.floats('grown', rw * rh);
  fillPolygon(grown, rw, rh, mx.map((x) => x - rx + (x >= cx ? m : -m)), my.map((y) => y - ry + (y >= cy ? m : -m)), 1);
  for (let i = 0; i < need.length; i++) need[i] = grown[i] > 0 || poly[i] > 0 ? 1 : 0;
  if (box) {
    const x0 = Math.max(0, Math.floor(box.x) - 3), x1 = Math.min(rw, Math.ceil(box.x + box.w) + 3);
    const y0 = Math.max(0, Math.floor(box.y) - 3), y1 = Math.min(rh, Math.ceil(box.y + box.h) + 3);
    for (let y = y0; y < y1; y++) need.fill(1, y * rw + x0, y * rw + x1);
  }
  return need;
}

/**
 * Source mouths' detail by patch object: a stored crop serves many frames in a row, and its pixels,
 * mesh and shot geometry (so the measured box) do not change between them. Keyed by the patch, not
 * its pixel buffer: a frame's own patch (a fade) is a new object on every call, while its buffer may
 * be a recycled decode buffer that held another frame before.
 */
const detailOfPatch = new WeakMap<RgbPatch, number>();

/** Fine detail (luma-Laplacian variance) of a source frame's mouth, located by its control points. */
function mouthDetail(m: SourceMouth, cp: Float64Array, g: ShotGeometry): number {
  const known = detailOfPatch.get(m.patch);
  if (known !== undefined) return known;
  const ring = ringXY(cp, g, OUTER_LIP, m.patch.x, m.patch.y);
  const v = ring ? laplacianVariance(m.patch.data, m.patch.width, m.patch.height, mouthBox(ring.xs, ring.ys)) : NaN;
  detailOfPatch.set(m.patch, v);
  return v;
}

/** The lips' bounding box grown by a quarter of the mouth width: lips, teeth and the skin around them. */
function mouthBox(xs: number[], ys: number[]): Box {
  const x0 = Math.min(...xs), x1 = Math.max(...xs), y0 = Math.min(...ys), y1 = Math.max(...ys);
  const m = 0.25 * (x1 - x0);
  return { x: x0 - m, y: y0 - m, w: x1 - x0 + 2 * m, h: y1 - y0 + 2 * m };
}

/**
 * How far the head is turned, from the mesh alone: the nose tip sits closer to the contour on the
 * side the face turns towards. Returns the eye-line direction, which side (+1 or -1 along it) is the
 * far side, and the asymmetry 0 (frontal) .. ~1 (profile).
 */
function turnedAway(mesh: ArrayLike<number>): { ex: number; ey: number; farSign: number; amount: number } {
  const d = (i: number, j: number): number => Math.hypot(mesh[i * 3] - mesh[j * 3], mesh[i * 3 + 1] - mesh[j * 3 + 1]);
  const dR = d(1, 234), dL = d(1, 454);
  const ex0 = mesh[263 * 3] - mesh[33 * 3], ey0 = mesh[263 * 3 + 1] - mesh[33 * 3 + 1];
  const n = Math.hypot(ex0, ey0) || 1;
  const asym = (dL - dR) / Math.max(1e-6, dL + dR);
  // 234 lies on the -eye-line side, 454 on the + side
  return { ex: ex0 / n, ey: ey0 / n, farSign: asym > 0 ? -1 : 1, amount: Math.abs(asym) };
}

function meanColour(rgb: Float32Array, w: number, h: number, xs: number[], ys: number[]): [number, number, number] {
  const m = new Float32Array(w * h);
  fillPolygon(m, w, h, xs, ys, 1);
  let n = 0, r = 0, g = 0, b = 0;
  for (let i = 0; i < m.length; i++) {
    if (!m[i]) continue;
    n++; r += rgb[i * 3]; g += rgb[i * 3 + 1]; b += rgb[i * 3 + 2];
  }
  return n ? [r / n, g / n, b / n] : [150, 80, 80];
}
