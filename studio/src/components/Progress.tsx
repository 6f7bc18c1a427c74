import { useEffect, useState } from 'react';
import { TERMINAL, progressOf, stageOf, type Generation } from '../api';
import { clock } from '../format';

/** Elapsed time, and a remaining-time estimate from the API's progress (or the cost estimate's time). */
export function timing(g: Generation, now: number, seenAt: number, estimateSeconds?: number): { elapsed: number; remaining?: number } {
  const start = Date.parse(g.createdAt);
  const t0 = Number.isFinite(start) && start <= now + 5000 ? Math.min(start, now) : seenAt;
  const elapsed = Math.max(0, (now - t0) / 1000);
  const p = progressOf(g);
  let remaining: number | undefined;
  if (p !== undefined && p >= 3 && p < 100) remaining = (elapsed * (100 - p)) / p;
  else if (estimateSeconds !== undefined) remaining = Math.max(0, estimateSeconds - elapsed);
  return { elapsed, remaining };
}

export const STAGES_FALLBACK: Record<string, string> = {
  PENDING: 'Waiting in the queue',
  PROCESSING: 'Lip-syncing',
  COMPLETED: 'Done',
  FAILED: 'Failed',
  REJECTED: 'Rejected',
};

export function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function ProgressLine({ gen, seenAt, estimateSeconds, compact }: { gen: Generation; seenAt: number; estimateSeconds?: number; compact?: boolean }) {
  const running = !TERMINAL.includes(gen.status);
  const now = useNow(running);
  const p = progressOf(gen);
  const { elapsed, remaining } = timing(gen, now, seenAt, estimateSeconds);
  const stage = stageOf(gen) ?? STAGES_FALLBACK[gen.status] ?? gen.status;
  return (
    <div className={`progress ${compact ? 'compact' : ''}`}>
      <div className="progress-head">
        <span className={`badge s-${gen.status.toLowerCase()}`}>{gen.status}</span>
        <span className="stage">{stage}</span>
        <span className="pct" aria-hidden>
          {p !== undefined ? `${Math.round(p)}%` : ''}
        </span>
      </div>
      <div
        className="bar"
        role="progressbar"
        aria-label={`Progress of ${gen.id}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={p !== undefined ? Math.round(p) : undefined}
        aria-valuetext={p !== undefined ? `${Math.round(p)}% — ${stage}` : stage}
      >
        <div className={`fill ${p === undefined && running ? 'indeterminate' : ''}`} style={{ width: `${p ?? (running ? 30 : 0)}%` }} />
      </div>
      {running && (
        <div className="times muted">
          {clock(elapsed)} elapsed{remaining !== undefined ? ` · about ${clock(remaining)} left` : ''}
        </div>
      )}
    </div>
  );
}
