/**
 * Streaming render of a whole video. Sources come from other moments of the same shot, so a crop
 * pass over the frames keeps only the lower-face crops of the source frames the plan uses (a few
 * hundred KB each, dropped after their last use) while the render pass renders frame by frame.
 * The crops' memory is bounded whatever the clip length (crop-store.ts); what the render holds per
 * frame of the clip is the track document and the plan (bench/memory.ts measures the whole).
 *
 * The two passes run at the same time: the crop pass decodes only the mouth region and runs several
 * times faster than rendering, so the render pass waits for it only when a frame's source lies
 * ahead of what has been cropped. (Run one after the other, the crop pass was ~0.3–1 s of idle
 * render pipeline at 1080p before the first frame.) The crop pass holds back once the crops it
 * has kept fill the store's memory budget, until the render frees some or needs a crop further
 * on. Left to run ahead, it filled the budget on any clip of more than a minute or so and wrote
 * every later crop to disk: its lead grows with the clip, since it runs several times faster.
 */
import type { TrackDocument } from '../face/types.js';
import type { MeshScratch } from '../face/stored-face.js';
import type { Rect, RgbFrame, VideoFrame } from '../media/types.js';
import { selectedFace, workingMesh } from './candidates.js';
import { CropStore } from './crop-store.js';
import { cropPatch, renderFrame, sourceRegion, type RenderOptions } from './render.js';
import type { FrameReport, PlanEntry, ShotGeometry, SynthesisPlan } from './types.js';

export interface RenderedFrame<F extends VideoFrame = VideoFrame> {
  frame: F;
  report: FrameReport;
}

function geometryFor(plan: SynthesisPlan, frame: number): ShotGeometry | null {
  for (const s of plan.shots) if (frame >= s.start && frame < s.end) return s.geometry;
  return null;
}

export interface RenderVideoOptions extends RenderOptions {
  cropMemoryBytes?: number;
  /** Where the source crops are kept (default: a new store with cropMemoryBytes); closed at the end. */
  crops?: CropStore;
  /**
   * Output frames (default 50) whose sources the crop pass may cut ahead of the render even when
   * its memory is full (spilling to disk), so the render does not wait for a far-off source.
   */
  cropLookahead?: number;
  /**
   * Iterates the input frames decoded only inside `region` (frames region-sized, in order). When
   * given, the crop pass converts just the part of each frame the source mouths come from instead
   * of whole frames: at 1080p most of a full decode's RGB work is saved.
   */
  openRegionFrames?: (region: Rect) => AsyncIterable<RgbFrame>;
}

/**
 * @param openFrames returns a fresh iterator over the input frames in order (called twice, or once
 *   when opts.openRegionFrames serves the crop pass). Each frame must own its buffer, as decoded
 *   frames do: edited frames are rendered into it in place.
 */
export async function* renderVideo<F extends VideoFrame>(
  doc: TrackDocument,
  plan: SynthesisPlan,
  openFrames: () => AsyncIterable<F>,
  opts: RenderVideoOptions = {},
): AsyncGenerator<RenderedFrame<F>> {
  // which source frames are needed, and by which output frame they are last needed
  const lastUse = new Map<number, number>();
  for (const e of plan.entries) {
    if (!e || e.action !== 'edit') continue;
    for (const s of sourcesOf(e)) lastUse.set(s, Math.max(lastUse.get(s) ?? -1, e.frame));
  }
  const ctx: RenderContext<F> = { doc, plan, openFrames, opts, lastUse, crops: opts.crops ?? new CropStore(opts.cropMemoryBytes), progress: new CropProgress() };
  // the crop pass runs alongside; its failure reaches the render pass through `progress`
  const cropping = lastUse.size ? collectCrops(ctx).then(() => ctx.progress.finish(), (e: unknown) => ctx.progress.finish(e)) : ctx.progress.finish();
  try {
    yield* renderWithCrops(ctx);
  } finally {
    // stop the crop pass (its decoder) if the render ended early, and wait for it to let go
    ctx.progress.stop();
    await cropping;
    ctx.crops.close();
  }
}

/** What both passes of one render share. */
interface RenderContext<F extends VideoFrame> {
  doc: TrackDocument;
  plan: SynthesisPlan;
  openFrames: () => AsyncIterable<F>;
  opts: RenderVideoOptions;
  /** Source frame → the last output frame that uses it. */
  lastUse: Map<number, number>;
  crops: CropStore;
  progress: CropProgress;
}

/**
 * How far the crop pass has got (frames arrive in index order), so the render pass can wait for
 * exactly the crops it needs.
 */
class CropProgress {
  private through = -1;
  private done = false;
  private failure: { error: unknown } | null = null;
  private waiters: Array<{ frame: number; resolve: () => void; reject: (e: unknown) => void }> = [];
  /** Set when the render pass is over: the crop pass stops at its next frame. */
  stopped = false;

  /** The crop pass waiting for room before cropping `frame`. */
  private holding: { frame: number; hasRoom: () => boolean; resolve: () => void } | null = null;
  /** The furthest frame the render pass is waiting for. */
  private wanted = -1;

  /** Every frame up to `frame` has been cropped (or needed no crop). */
  advance(frame: number): void {
    this.through = frame;
    this.settle();
  }

  /**
   * For the crop pass: resolves when `frame` may be cropped: there is room in memory, the render
   * pass is waiting for this frame or a later one, or the render is over.
   */
  room(frame: number, hasRoom: () => boolean): Promise<void> {
    if (this.stopped || this.wanted >= frame || hasRoom()) return Promise.resolve();
    return new Promise((resolve) => {
      this.holding = { frame, hasRoom, resolve };
    });
  }

  /** For the render pass: the crops up to `frame` will be needed soon, so the crop pass may go that far even when it must spill. */
  want(frame: number): void {
    if (frame <= this.wanted) return;
    this.wanted = frame;
    this.wake();
  }

  /** Lets a holding crop pass go on if it now may (the render dropped crops, wants more, or is over). */
  wake(): void {
    const h = this.holding;
    if (h && (this.stopped || this.wanted >= h.frame || h.hasRoom())) {
      this.holding = null;
      h.resolve();
    }
  }

  finish(error?: unknown): void {
    this.done = true;
    if (error !== undefined) this.failure = { error };
    this.settle();
  }

  stop(): void {
    this.stopped = true;
    this.wake();
  }

  /** Resolves once the crop of `frame` is in the store, or will never be (rejects if the crop pass failed). */
  reached(frame: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    if (this.done || this.through >= frame) return Promise.resolve();
    this.want(frame);
    return new Promise((resolve, reject) => this.waiters.push({ frame, resolve, reject }));
  }

  private settle(): void {
    this.waiters = this.waiters.filter((w) => {
      if (this.failure) w.reject(this.failure.error);
      else if (this.done || this.through >= w.frame) w.resolve();
      else return true;
      return false;
    });
  }
}

/** The source frames an edit draws from (two while it morphs across a jump). */
function sourcesOf(e: Extract<PlanEntry, { action: 'edit' }>): number[] {
  return e.blend ? [e.source, e.blend.source] : [e.source];
}

/**
 * For each output frame, the furthest source any edit of the next `lookahead` frames draws from:
 * the render tells the crop pass this much ahead, so a crop from far along the shot is cut before
 * the render reaches the frame that needs it (whole-shot plans borrow from anywhere in the shot).
 */
function furthestSourceAhead(plan: SynthesisPlan, frames: number, lookahead: number): Int32Array {
  const own = new Int32Array(frames).fill(-1);
  for (const e of plan.entries) if (e && e.action === 'edit' && e.frame < frames) own[e.frame] = Math.max(...sourcesOf(e));
  const out = new Int32Array(frames).fill(-1);
  for (let f = 0; f < frames; f++) {
    let m = -1;
    for (let k = f; k < Math.min(frames, f + lookahead); k++) m = Math.max(m, own[k]);
    out[f] = m;
  }
  return out;
}

async function* renderWithCrops<F extends VideoFrame>(ctx: RenderContext<F>): AsyncGenerator<RenderedFrame<F>> {
  const { doc, plan, lastUse, crops, progress } = ctx;
  const ahead = furthestSourceAhead(plan, plan.entries.length, ctx.opts.cropLookahead ?? 50);
  // each decoded frame is ours: edited frames are drawn into it
  const frameOpts: RenderOptions = { ...ctx.opts, inPlace: true };
  const target: MeshScratch = {}; // each frame's mesh, read through one buffer
  for await (const f of ctx.openFrames()) {
    const e = plan.entries[f.index];
    if (f.index < ahead.length) progress.want(ahead[f.index]);
    if (!e || e.action === 'pass') {
      yield { frame: f, report: { frame: f.index, action: 'pass', reason: e ? e.reason : 'no-target' } };
      continue;
    }
    await progress.reached(e.blend ? Math.max(e.source, e.blend.source) : e.source);
    const src = crops.get(e.source);
    const g = geometryFor(plan, f.index);
    const face = selectedFace(doc, f.index);
    if (!src || !g || !face) {
      yield { frame: f, report: { frame: f.index, action: 'pass', reason: 'no-candidates' } };
      continue;
    }
    const t0 = performance.now();
    const blend = e.blend ? crops.get(e.blend.source) : undefined;
    const res = renderFrame(f, workingMesh(face, target), src, e, g, frameOpts, blend);
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    for (const s of sourcesOf(e)) if (lastUse.get(s) === f.index) crops.delete(s);
    progress.wake();
    yield {
      frame: res.frame,
      report: { frame: f.index, action: 'edit', source: e.source, matchCost: e.matchCost, openBy: e.openBy, changedRegion: res.region, renderMs: ms },
    };
  }
}

/** First pass: the lower-face crops of every source frame the plan uses. */
async function collectCrops<F extends VideoFrame>({ doc, plan, openFrames, opts, lastUse, crops, progress }: RenderContext<F>): Promise<void> {
  const { width, height } = doc.source;
  // Where each needed source mouth lies is known from the track before any pixel is decoded.
  // Only the rectangles are kept: a crop's mesh is read again when it is cut (a whole clip's
  // meshes held here were 5.6 KB a source frame for the whole render).
  const regions = new Map<number, [number, number, number, number]>();
  const scratch: MeshScratch = {};
  for (const i of lastUse.keys()) {
    const g = geometryFor(plan, i);
    const face = selectedFace(doc, i);
    if (!g || !face) continue;
    const r = sourceRegion(workingMesh(face, scratch), g, width, height);
    if (r) regions.set(i, r);
  }
  if (!regions.size) return;
  let ux0 = Infinity, uy0 = Infinity, ux1 = -Infinity, uy1 = -Infinity;
  for (const r of regions.values()) {
    ux0 = Math.min(ux0, r[0]);
    uy0 = Math.min(uy0, r[1]);
    ux1 = Math.max(ux1, r[0] + r[2]);
    uy1 = Math.max(uy1, r[1] + r[3]);
  }
  // Even offsets keep the decoder's chroma siting identical to a whole-frame decode.
  const x0 = Math.max(0, Math.floor(ux0 / 2) * 2);
  const y0 = Math.max(0, Math.floor(uy0 / 2) * 2);
  const union: Rect = { x: x0, y: y0, width: Math.min(width, Math.ceil(ux1 / 2) * 2) - x0, height: Math.min(height, Math.ceil(uy1 / 2) * 2) - y0 };
  const useRegion = !!opts.openRegionFrames && union.width * union.height < 0.8 * width * height;
  const frames = useRegion ? opts.openRegionFrames!(union) : openFrames();
  const ox = useRegion ? union.x : 0;
  const oy = useRegion ? union.y : 0;
  for await (const f of frames) {
    if (progress.stopped) break;
    const need = regions.get(f.index);
    if (need) {
      const [x, y, w, h] = need;
      const patch = cropPatch(f, [x - ox, y - oy, w, h]);
      await progress.room(f.index, () => crops.fits(patch.data.length));
      if (progress.stopped) break;
      // the crop keeps its mesh (an array of its own) as long as it waits
      crops.put({ frame: f.index, mesh: workingMesh(selectedFace(doc, f.index)!), patch: { ...patch, x, y } });
    }
    progress.advance(f.index);
  }
}

/** Report totals for a rendered video. */
export function summariseReports(rows: FrameReport[]): { edited: number; passed: number; occluded: number; meanRenderMs: number } {
  let edited = 0, passed = 0, occluded = 0, ms = 0;
  for (const r of rows) {
    if (r.action === 'edit') { edited++; ms += r.renderMs ?? 0; }
    else {
      passed++;
      if (r.reason === 'occluded' || r.reason === 'profile' || r.reason === 'low-visibility') occluded++;
    }
  }
  return { edited, passed, occluded, meanRenderMs: edited ? Math.round((ms / edited) * 10) / 10 : 0 };
}
