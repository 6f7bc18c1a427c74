import type { KeyboardEvent, MouseEvent } from 'react';
import { runsOf, totalsOf, type ReportRow, type RunKind } from '../report';

export const KIND_LABEL: Record<RunKind, string> = {
  edited: 'Lips edited',
  passed: 'Passed through',
  occluded: 'Occluded / turned away',
  noface: 'No face',
};

/**
 * The quality report as a timeline: which output frames had their lips edited, which were passed
 * through unchanged (and why), with a playhead at the shared player's time. Click to seek.
 */
export function ReportTimeline({
  rows,
  fps,
  time,
  syncConfidence,
  onSeek,
}: {
  rows: ReportRow[];
  fps: number;
  time?: number;
  syncConfidence?: number;
  onSeek?: (seconds: number) => void;
}) {
  const runs = runsOf(rows);
  const totals = totalsOf(rows);
  const n = rows.length ? Math.max(...rows.map((r) => r.frame)) + 1 : 0;
  if (!n) return <p className="muted">The report has no frames.</p>;
  const head = time !== undefined ? Math.min(1, (time * fps) / n) : undefined;
  const pick = (e: MouseEvent<HTMLDivElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    if (!r.width) return;
    const frame = Math.floor(((e.clientX - r.left) / r.width) * n);
    onSeek?.(Math.max(0, Math.min(n - 1, frame)) / fps);
  };
  const key = (e: KeyboardEvent<HTMLDivElement>) => {
    if (!onSeek || time === undefined) return;
    const step = e.shiftKey ? 1 : 1 / fps;
    if (e.key === 'ArrowRight') onSeek(Math.min((n - 1) / fps, time + step));
    else if (e.key === 'ArrowLeft') onSeek(Math.max(0, time - step));
    else return;
    e.preventDefault();
  };
  return (
    <figure className="report" aria-label="Quality report timeline">
      <div
        className="report-track"
        onClick={pick}
        onKeyDown={key}
        tabIndex={onSeek ? 0 : undefined}
        role="img"
        aria-label={`${totals.edited} of ${n} frames edited, ${totals.passed} passed through, ${totals.occluded} occluded, ${totals.noface} without a face. Left and right arrows step through frames.`}
        data-testid="report-track"
      >
        {runs.map((r) => (
          <div
            key={r.start}
            className={`run k-${r.kind}`}
            data-kind={r.kind}
            style={{ left: `${(r.start / n) * 100}%`, width: `${((r.end - r.start) / n) * 100}%` }}
            title={`${KIND_LABEL[r.kind]}${r.reason ? ` (${r.reason})` : ''}: frames ${r.start}–${r.end - 1} (${(r.start / fps).toFixed(2)}–${(r.end / fps).toFixed(2)} s)`}
          />
        ))}
        {head !== undefined && <div className="playhead" style={{ left: `${head * 100}%` }} />}
      </div>
      <figcaption className="legend">
        {(Object.keys(KIND_LABEL) as RunKind[]).map((k) => (
          <span key={k} className="legend-item" data-testid={`legend-${k}`}>
            <i className={`swatch k-${k}`} /> {KIND_LABEL[k]}: <strong>{totals[k]}</strong>
          </span>
        ))}
        {syncConfidence !== undefined && (
          <span className="legend-item">
            Sync confidence: <strong>{Math.round(syncConfidence * 100)}%</strong>
          </span>
        )}
      </figcaption>
    </figure>
  );
}
