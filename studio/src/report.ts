/** The engine's per-generation quality report, turned into timeline runs. */

export interface ReportRow {
  frame: number;
  action: 'edit' | 'pass';
  reason?: string;
  region?: [number, number, number, number];
}

export interface QualityReport {
  output?: { fps?: number; frames?: number; duration?: number; width?: number; height?: number };
  frames?: { total?: number; edited?: number; passedThrough?: number; occluded?: number; noFace?: number };
  syncConfidence?: number;
  perFrame?: ReportRow[];
}

export type RunKind = 'edited' | 'passed' | 'occluded' | 'noface';

export interface Run {
  kind: RunKind;
  start: number; // first frame
  end: number; // one past the last frame
  reason?: string;
}

const OCCLUDED = new Set(['occluded', 'profile', 'low-visibility']);

export function kindOf(row: ReportRow): RunKind {
  if (row.action === 'edit') return 'edited';
  if (row.reason && OCCLUDED.has(row.reason)) return 'occluded';
  if (row.reason === 'no-face') return 'noface';
  return 'passed';
}

/** Consecutive frames of the same kind (and reason) merged into runs, in frame order. */
export function runsOf(rows: ReportRow[]): Run[] {
  const sorted = [...rows].sort((a, b) => a.frame - b.frame);
  const runs: Run[] = [];
  for (const r of sorted) {
    const kind = kindOf(r);
    const reason = r.action === 'edit' ? undefined : r.reason;
    const last = runs[runs.length - 1];
    if (last && last.kind === kind && last.reason === reason && last.end === r.frame) last.end = r.frame + 1;
    else runs.push({ kind, start: r.frame, end: r.frame + 1, reason });
  }
  return runs;
}

export function totalsOf(rows: ReportRow[]): Record<RunKind, number> {
  const t: Record<RunKind, number> = { edited: 0, passed: 0, occluded: 0, noface: 0 };
  for (const r of rows) t[kindOf(r)]++;
  return t;
}

/** The union of edited regions (video pixels): where the mouth close-up should look. */
export function mouthBox(rows: ReportRow[]): [number, number, number, number] | undefined {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const r of rows) {
    if (!r.region) continue;
    const [x, y, w, h] = r.region;
    if (!(w > 0 && h > 0)) continue;
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x + w);
    y1 = Math.max(y1, y + h);
  }
  return Number.isFinite(x0) ? [x0, y0, x1 - x0, y1 - y0] : undefined;
}

export function isReport(x: unknown): x is QualityReport {
  return !!x && typeof x === 'object' && Array.isArray((x as QualityReport).perFrame);
}
