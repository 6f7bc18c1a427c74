/**
 * The synthesis report: one row per output frame (edited with which source and at what cost, or
 * passed through and why) plus totals. Plain JSON, written next to the output for people and tools.
 */
import type { FrameReport, SynthesisPlan } from './types.js';

export interface SynthesisReport {
  format: 'resync.synthesis-report';
  version: 1;
  totals: {
    frames: number;
    edited: number;
    passed: number;
    /** Passed because the mouth was hidden (occluded, profile, low visibility). */
    occluded: number;
    noFace: number;
    /** Non-consecutive source changes between edited frames (each one a potential pop). */
    jumps: number;
    /** Edited frames whose opening was synthesised (closed-mouth footage). */
    opened: number;
    meanMatchCost: number;
    planMs: number;
    meanRenderMs: number;
  };
  frames: FrameReport[];
}

/** Builds the report from the plan, merging in what the renderer measured when given. */
export function buildReport(plan: SynthesisPlan, rendered: FrameReport[] = []): SynthesisReport {
  const byFrame = new Map(rendered.map((r) => [r.frame, r]));
  let opened = 0, renderMs = 0, renderN = 0;
  const frames: FrameReport[] = plan.entries.map((e) => {
    const r = byFrame.get(e.frame);
    if (e.action === 'pass') return { frame: e.frame, action: 'pass', reason: e.reason };
    if (e.openBy > 0) opened++;
    if (r?.renderMs !== undefined) { renderMs += r.renderMs; renderN++; }
    return {
      frame: e.frame,
      action: r?.action ?? 'edit',
      ...(r?.reason ? { reason: r.reason } : {}),
      source: e.source,
      matchCost: e.matchCost,
      openBy: e.openBy,
      ...(r?.changedRegion ? { changedRegion: r.changedRegion } : {}),
      ...(r?.renderMs !== undefined ? { renderMs: r.renderMs } : {}),
    };
  });
  const s = plan.stats;
  return {
    format: 'resync.synthesis-report',
    version: 1,
    totals: {
      frames: plan.entries.length,
      edited: s.edited,
      passed: s.passed,
      occluded: s.occluded,
      noFace: s.noFace,
      jumps: s.jumps,
      opened,
      meanMatchCost: s.meanMatchCost,
      planMs: s.planMs,
      meanRenderMs: renderN ? Math.round((renderMs / renderN) * 10) / 10 : 0,
    },
    frames,
  };
}
