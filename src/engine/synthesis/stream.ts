/**
 * Streaming render of a whole video. Sources come from other moments of the same shot, so a first
 * pass over the frames keeps only the lower-face crops of the source frames the plan uses (a few
 * hundred KB each, dropped after their last use); the second pass renders frame by frame. Memory
 * stays flat whatever the clip length.
 */
import type { TrackDocument } from '../face/types.js';
import type { RgbFrame } from '../media/types.js';
import { selectedFace, workingMesh } from './candidates.js';
import { CropStore } from './crop-store.js';
import { cropPatch, renderFrame, sourceRegion, type RenderOptions } from './render.js';
import type { FrameReport, ShotGeometry, SynthesisPlan } from './types.js';

export interface RenderedFrame {
  frame: RgbFrame;
  report: FrameReport;
}

function geometryFor(plan: SynthesisPlan, frame: number): ShotGeometry | null {
  for (const s of plan.shots) if (frame >= s.start && frame < s.end) return s.geometry;
  return null;
}

/**
 * @param openFrames returns a fresh iterator over the input frames in order (called twice)
 */
export async function* renderVideo(
  doc: TrackDocument,
  plan: SynthesisPlan,
  openFrames: () => AsyncIterable<RgbFrame>,
  opts: RenderOptions & { cropMemoryBytes?: number } = {},
): AsyncGenerator<RenderedFrame> {
  // which source frames are needed, and by which output frame they are last needed
  const lastUse = new Map<number, number>();
  for (const e of plan.entries) {
    if (!e || e.action !== 'edit') continue;
    for (const s of e.blend ? [e.source, e.blend.source] : [e.source]) lastUse.set(s, Math.max(lastUse.get(s) ?? -1, e.frame));
  }
  const crops = new CropStore(opts.cropMemoryBytes);
  try {
    yield* renderWithCrops(doc, plan, openFrames, opts, lastUse, crops);
  } finally {
    crops.close();
  }
}

async function* renderWithCrops(
  doc: TrackDocument,
  plan: SynthesisPlan,
  openFrames: () => AsyncIterable<RgbFrame>,
  opts: RenderOptions,
  lastUse: Map<number, number>,
  crops: CropStore,
): AsyncGenerator<RenderedFrame> {
  if (lastUse.size) {
    for await (const f of openFrames()) {
      if (!lastUse.has(f.index)) continue;
      const g = geometryFor(plan, f.index);
      const face = selectedFace(doc, f.index);
      if (!g || !face) continue;
      const mesh = workingMesh(face);
      const r = sourceRegion(mesh, g, f.width, f.height);
      if (r) crops.put({ frame: f.index, mesh, patch: cropPatch(f, r) });
    }
  }
  for await (const f of openFrames()) {
    const e = plan.entries[f.index];
    if (!e || e.action === 'pass') {
      yield { frame: f, report: { frame: f.index, action: 'pass', reason: e ? e.reason : 'no-target' } };
      continue;
    }
    const src = crops.get(e.source);
    const g = geometryFor(plan, f.index);
    const face = selectedFace(doc, f.index);
    if (!src || !g || !face) {
      yield { frame: f, report: { frame: f.index, action: 'pass', reason: 'no-candidates' } };
      continue;
    }
    const t0 = performance.now();
    const blend = e.blend ? crops.get(e.blend.source) : undefined;
    const res = renderFrame(f, workingMesh(face), src, e, g, opts, blend);
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    for (const s of e.blend ? [e.source, e.blend.source] : [e.source]) if (lastUse.get(s) === f.index) crops.delete(s);
    yield {
      frame: res.frame,
      report: { frame: f.index, action: 'edit', source: e.source, matchCost: e.matchCost, openBy: e.openBy, changedRegion: res.region, renderMs: ms },
    };
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
